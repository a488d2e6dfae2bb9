// Who receives the monthly reports: a small YAML file (VIGIL_REPORT_RECIPIENTS_FILE,
// default <data dir>/report-recipients.yml), validated with zod and read afresh at
// every run, so an edit needs no restart. No file: nobody is mailed.
//
//   soc: { to: [soc@tinh.gov.vn], lang: vi }       # the whole SOC's report
//   units:
//     so-y-te: { to: [it@soyte.gov.vn], lang: vi }  # each unit's own report
import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { BadInputError } from '../core/errors.ts';
import { reportLanguages } from '../core/report/report-text.ts';
import { describeIssues } from '../core/schemas/describe-issues.ts';

const recipientListSchema = z.object({
  to: z.array(z.email()).min(1).max(100),
  lang: z.enum(reportLanguages).default('vi'),
});
export type RecipientList = z.infer<typeof recipientListSchema>;

const recipientsSchema = z
  .object({
    soc: recipientListSchema.optional(),
    units: z.record(z.string().min(1), recipientListSchema).default({}),
  })
  .strict();
export type ReportRecipients = z.infer<typeof recipientsSchema>;

export function loadRecipients(file: string): ReportRecipients {
  if (!fs.existsSync(file)) return { units: {} };
  const parsed = recipientsSchema.safeParse(parse(fs.readFileSync(file, 'utf8')) ?? {});
  if (!parsed.success) throw new BadInputError(`${file}: ${describeIssues(parsed.error)}`, 'config');
  return parsed.data;
}
