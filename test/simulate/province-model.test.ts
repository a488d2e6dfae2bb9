// The province model: the real province's size, scaling, volumes that add up to about 2
// million antivirus threat cases a month (most dealt with), the office-hours and weekend
// rhythm, and the same events for the same seed.
import { describe, expect, it } from 'vitest';
import { backgroundMinute, provinceRates, type SimEvent } from '../../simulate/background.ts';
import { buildProvince } from '../../simulate/province.ts';
import { seededRandom } from '../../simulate/random.ts';
import { simulation } from '../../simulate/timeline.ts';

const HOUR = 3_600_000;
// Monday 30 November 2026, 00:00 in Vietnam (UTC+7).
const monday = Date.UTC(2026, 10, 29, 17);

describe('the province model', () => {
  it('has 230 units and 5,661 hosts, scalable up to 10 times', () => {
    const province = buildProvince({ seed: 1 });
    expect(province.units).toHaveLength(230);
    expect(province.units.reduce((sum, unit) => sum + unit.hosts.length, 0)).toBe(5661);
    expect(province.units[0]!.dataCenter).toBe(true);
    const double = buildProvince({ seed: 1, scale: 2 });
    expect(double.units).toHaveLength(460);
    expect(double.hostCount).toBe(11_322);
    expect(() => buildProvince({ seed: 1, scale: 11 })).toThrow(RangeError);
    // Every host has its own address.
    const ips = province.units.flatMap((unit) => unit.hosts.map((host) => host.ip));
    expect(new Set(ips).size).toBe(ips.length);
  });

  it('sends about 2 million threat cases a month, most of them blocked or cleaned', () => {
    // One simulated week, every unit; a month is 30/7 of it.
    const province = buildProvince({ seed: 3 });
    const rates = provinceRates(province);
    const random = seededRandom(3);
    let cases = 0;
    let dealtWith = 0;
    const families = new Set<string>();
    for (let minute = monday; minute < monday + 7 * 24 * HOUR; minute += 10 * 60_000) {
      // Every tenth minute, scaled back up: a fair sample of the week.
      for (const unit of province.units) {
        for (const { event } of backgroundMinute(unit, province, rates, minute, random)) {
          const fields = event.event as { module: string; outcome: string };
          if (fields.module !== 'antivirus') continue;
          cases += 10;
          if (fields.outcome === 'success') dealtWith += 10;
          families.add(((event.rule as { name: string }).name.split('.')[0] ?? '').split(':')[0]!);
        }
      }
    }
    const perMonth = (cases * 30) / 7;
    expect(perMonth).toBeGreaterThan(1_800_000);
    expect(perMonth).toBeLessThan(2_200_000);
    expect(dealtWith / cases).toBeGreaterThan(0.9);
    expect(families.size).toBeGreaterThan(10);
  });

  it('follows office hours and weekends', () => {
    const province = buildProvince({ seed: 5, units: 20, hosts: 600 });
    const rates = provinceRates(province);
    const random = seededRandom(5);
    const hourCount = (start: number) => {
      let count = 0;
      for (let minute = start; minute < start + HOUR; minute += 60_000) for (const unit of province.units) count += backgroundMinute(unit, province, rates, minute, random).length;
      return count;
    };
    const mondayTen = hourCount(monday + 10 * HOUR);
    const mondayThree = hourCount(monday + 3 * HOUR);
    const saturdayTen = hourCount(monday + 5 * 24 * HOUR + 10 * HOUR);
    expect(mondayTen).toBeGreaterThan(5 * mondayThree);
    expect(mondayTen).toBeGreaterThan(5 * saturdayTen);
    // The data center works at night: it is most of what is heard at 03:00.
    const night: SimEvent[] = [];
    for (let minute = monday + 3 * HOUR; minute < monday + 4 * HOUR; minute += 60_000) {
      for (const unit of province.units) night.push(...backgroundMinute(unit, province, rates, minute, random));
    }
    expect(night.length).toBeGreaterThan(0);
    expect(night.filter((event) => event.unit === province.units[0]!.id).length).toBeGreaterThan(night.length / 3);
  });

  it('gives the same events and truth for the same seed, and others for another', () => {
    const options = { scale: 1, start: monday, end: monday + 6 * HOUR, units: 5, hosts: 60 };
    const first = [...simulation({ seed: 9, ...options }).events()];
    const again = [...simulation({ seed: 9, ...options }).events()];
    const other = [...simulation({ seed: 10, ...options }).events()];
    expect(first.length).toBeGreaterThan(500);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(simulation({ seed: 9, ...options }).truth(first.length)).toEqual(simulation({ seed: 9, ...options }).truth(first.length));
    // In time order, inside the window (the wrong clock's events last, stamped ahead).
    const main = first.filter((event) => event.agent === 'main');
    expect(main.every((event, i) => i === 0 || event.time >= main[i - 1]!.time)).toBe(true);
    const skewed = first.filter((event) => event.agent === 'wrong-clock');
    expect(skewed.length).toBeGreaterThan(0);
    for (const event of skewed) expect(Date.parse(event.event['@timestamp'] as string) - event.time).toBe(6 * HOUR);
  });
});
