import type { components } from "@/api/client";

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
