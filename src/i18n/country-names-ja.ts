/**
 * Country names in Japanese lists. `Intl.Collator('ja')` orders kanji by code point, not by reading, so a
 * list sorted on the names alone puts 中国, 韓国 and 台湾 after ロシア. Names that start with kanji get their
 * reading here (katakana names are their own reading), and two long official names get the short names
 * people use.
 */

/** Shorter names Japanese readers use for these regions. */
const JA_NAMES: Readonly<Record<string, string>> = {
  HK: '香港',
  MO: 'マカオ',
};

/** Readings (in kana) of the Japanese names that start with kanji, by ISO 3166-1 code. */
const JA_READINGS: Readonly<Record<string, string>> = {
  AS: 'べいりょうさもあ',
  CF: 'ちゅうおうあふりかきょうわこく',
  CN: 'ちゅうごく',
  EH: 'にしさはら',
  GF: 'ふつりょうぎあな',
  GQ: 'せきどうぎにあ',
  HK: 'ほんこん',
  IO: 'えいりょういんどようちいき',
  JP: 'にほん',
  KP: 'きたちょうせん',
  KR: 'かんこく',
  MK: 'きたまけどにあ',
  MP: 'きたまりあなしょとう',
  PF: 'ふつりょうぽりねしあ',
  SS: 'みなみすーだん',
  TL: 'ひがしちもーる',
  TW: 'たいわん',
  VG: 'えいりょうゔぁーじんしょとう',
  VI: 'べいりょうゔぁーじんしょとう',
  ZA: 'みなみあふりか',
};

/** The Japanese name to show for a region: ICU's, or the shorter one people use. */
export function japaneseCountryName(code: string, icuName: string): string {
  return JA_NAMES[code] ?? icuName;
}

/** What a Japanese list of countries is sorted on: the reading when the name starts with kanji. */
export function japaneseCountrySortKey(code: string, name: string): string {
  return /^[\u4e00-\u9fff々]/.test(name) ? (JA_READINGS[code] ?? name) : name;
}
