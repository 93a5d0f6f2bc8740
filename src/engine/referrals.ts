/**
 * The referral directory: which services a reply carries for a region, in which order, and how a
 * message names a region ("helpline in the uk", "we're in Sydney").
 */
import { REGION_CODES } from "../knowledge/regions.js";
import type { RegionCode, ResourceKind, Resources } from "../knowledge/schema.js";
import { splitWords } from "./normalize.js";
import type { ResourceRef } from "./reply.js";

export interface Referral {
  emergency: ResourceRef | null;
  services: ResourceRef[];
  international: ResourceRef[];
}

export class Referrals {
  private readonly all: ResourceRef[];
  private readonly places: { words: string[]; region: RegionCode }[] = [];

  constructor(private readonly data: Resources) {
    this.all = data.services;
    for (const code of REGION_CODES) {
      for (const name of data.regions[code]?.match ?? []) this.places.push({ words: splitWords(name), region: code });
    }
    // longest names first, so "northern ireland" wins over "ireland"
    this.places.sort((a, b) => b.words.length - a.words.length);
  }

  regionName(code: RegionCode): string {
    return this.data.regions[code]?.name ?? code;
  }

  /** A region the message names, if any: the first place mentioned wins. */
  detect(words: string[]): RegionCode | null {
    for (let i = 0; i < words.length; i++) {
      for (const place of this.places) {
        if (place.words.every((w, k) => words[i + k] === w)) return place.region;
      }
    }
    return null;
  }

  emergencyFor(region: RegionCode): ResourceRef | null {
    const info = this.data.regions[region];
    const e = info?.emergency;
    if (!info || !e) return null;
    return {
      id: `emergency-${region.toLowerCase()}`,
      name: `Emergency services (${info.name})`,
      for: "a child in immediate danger",
      kind: "emergency",
      regions: [region],
      contacts: { phone: e.number },
      source: e.source,
      verified: e.verified,
      recheck: e.recheck,
      urgent: true,
    };
  }

  /** Services of a region ordered by the kinds asked for first (the rest keep the directory's order). */
  services(region: RegionCode, kinds: ResourceKind[], opts: { only?: boolean } = {}): ResourceRef[] {
    const rank = (k: ResourceKind) => {
      const i = kinds.indexOf(k);
      return i < 0 ? kinds.length : i;
    };
    return this.all
      .filter((s) => s.regions.includes(region) && (!opts.only || kinds.includes(s.kind)))
      .map((s, i) => ({ s, i }))
      .sort((a, b) => rank(a.s.kind) - rank(b.s.kind) || a.i - b.i)
      .map(({ s }) => s);
  }

  /** Prevention help (Stop It Now) for a region; every region's line where the region has none. */
  prevention(region: RegionCode): ResourceRef[] {
    const own = this.services(region, ["prevention"], { only: true });
    return own.length > 0 ? own : this.all.filter((s) => s.kind === "prevention");
  }

  /** The full referral for a region: emergency, its services, then the international lines. */
  referral(region: RegionCode, kinds: ResourceKind[] = ["report", "helpline", "prevention"]): Referral {
    return {
      emergency: this.emergencyFor(region),
      services: region === "INTL" ? [] : this.services(region, kinds),
      international: this.services("INTL", kinds),
    };
  }
}
