import type { components } from "@/api/client";

// Where each district sits on the cockpit's tile map: a rough geography of Suzhou, north at the
// top, the Yangtze towns above the old city. The districts themselves (ids, names, order) come
// from the platform: the session store holds GET /api/v1/districts.
/** [column, row] of each district's tile. */
export const TILES: Record<string, [number, number]> = {
  zhangjiagang: [0, 0],
  changshu: [2, 0],
  xiangcheng: [1, 1],
  taicang: [3, 1],
  huqiu: [0, 2],
  gusu: [1, 2],
  sip: [2, 2],
  kunshan: [3, 2],
  wuzhong: [1, 3],
  wujiang: [1, 4],
};

// Annex 1's indicators in its column order: the API's DistrictTargets less the district. The
// compiler holds the list to the generated type: a key it lacks, or one the API dropped, fails.
type Indicator = Exclude<keyof components["schemas"]["DistrictTargets"], "district_id">;
export const INDICATORS = [
  "new_100m_buildings",
  "cumulative_100m_buildings",
  "new_featured_buildings",
  "stock_renovations",
  "promotion_events",
] as const satisfies readonly Indicator[];
const everyIndicatorListed: Record<Exclude<Indicator, (typeof INDICATORS)[number]>, never> = {};
void everyIndicatorListed;
