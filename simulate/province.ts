// The province Vigil watches: its units (agencies, districts, communes) and their hosts.
// The real one has 230 units and 5,661 PCs and servers; unit 0 is the provincial data
// center (servers only). Sizes are uneven, as they are: a few departments with a
// hundred PCs, many communes with a dozen. Deterministic for a seed.
import { pickWeighted, seededRandom } from './random.ts';

export const PROVINCE_UNITS = 230;
export const PROVINCE_HOSTS = 5661;
export const MAX_SCALE = 10;
/** At most this many hosts per unit: each unit gets a /22 of 10.16.0.0/10. */
const MAX_HOSTS_PER_UNIT = 1000;

export interface Host {
  id: string;
  name: string;
  ip: string;
  server: boolean;
  user: string;
}

export interface Unit {
  id: string;
  name: string;
  /** Index in the province (0 is the data center). */
  index: number;
  dataCenter: boolean;
  hosts: Host[];
}

export interface Province {
  units: Unit[];
  hostCount: number;
}

export interface ProvinceOptions {
  seed: number;
  /** Multiplies units and hosts (0 < scale ≤ 10). */
  scale?: number;
  /** Overrides the unit count (tests: a small province). */
  units?: number;
  /** Overrides the host count. */
  hosts?: number;
}

const AGENCY_KINDS = [
  'Sở Y tế', 'Sở Tài chính', 'Sở Giáo dục và Đào tạo', 'Sở Tư pháp', 'Sở Nội vụ', 'Sở Công Thương',
  'Sở Xây dựng', 'Sở Tài nguyên và Môi trường', 'Sở Kế hoạch và Đầu tư', 'Văn phòng UBND tỉnh',
  'UBND huyện', 'UBND xã', 'Trung tâm Y tế huyện', 'Bệnh viện đa khoa', 'Kho bạc', 'Chi cục Thuế',
] as const;
const USERS = ['ketoan', 'vanthu', 'hanhchinh', 'thuquy', 'chuyenvien', 'phoGiamDoc', 'bacsi', 'giaovien', 'kythuat', 'tiepnhan'] as const;

function ipOf(unitIndex: number, hostIndex: number): string {
  const second = 16 + Math.floor(unitIndex / 64);
  const third = 4 * (unitIndex % 64) + Math.floor(hostIndex / 250);
  return `10.${second}.${third}.${(hostIndex % 250) + 2}`;
}

export function buildProvince(options: ProvinceOptions): Province {
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= MAX_SCALE)) throw new RangeError(`scale must be above 0 and at most ${MAX_SCALE}, not ${scale}`);
  const unitCount = options.units ?? Math.max(1, Math.round(PROVINCE_UNITS * scale));
  const hostCount = options.hosts ?? Math.round(PROVINCE_HOSTS * scale);
  if (hostCount < unitCount) throw new RangeError(`${hostCount} hosts cannot fill ${unitCount} units`);
  const random = seededRandom(options.seed ^ 0x5eed);

  // Uneven sizes: weights from a skewed draw, then every unit at least one host.
  const weights = Array.from({ length: unitCount }, (_, index) =>
    index === 0 ? 1.5 : pickWeighted([[6, 0.5], [3, 1], [1, 4]] as const, random) * (0.6 + random()),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const sizes = weights.map((weight) => Math.min(MAX_HOSTS_PER_UNIT, Math.max(1, Math.floor((weight / total) * hostCount))));
  let missing = hostCount - sizes.reduce((sum, size) => sum + size, 0);
  for (let index = 0; missing > 0; index = (index + 1) % unitCount) {
    if (sizes[index]! < MAX_HOSTS_PER_UNIT) {
      sizes[index]! += 1;
      missing -= 1;
    }
  }

  const units = sizes.map((size, index): Unit => {
    const dataCenter = index === 0;
    const code = dataCenter ? 'ttdl' : `dv${String(index).padStart(3, '0')}`;
    const name = dataCenter ? 'Trung tâm Dữ liệu tỉnh' : `${AGENCY_KINDS[index % AGENCY_KINDS.length]} ${index}`;
    const hosts = Array.from({ length: size }, (_, h): Host => {
      const server = dataCenter || h === 0;
      const hostName = `${code.toUpperCase()}-${server ? 'SRV' : 'PC'}-${String(h + 1).padStart(3, '0')}`;
      return { id: hostName.toLowerCase(), name: hostName, ip: ipOf(index, h), server, user: USERS[(index + h) % USERS.length]! };
    });
    return { id: dataCenter ? 'trung-tam-du-lieu' : `don-vi-${String(index).padStart(3, '0')}`, name, index, dataCenter, hosts };
  });
  return { units, hostCount };
}
