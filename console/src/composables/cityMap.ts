// 一张图, written once for the map page and the cockpit: the districts as the platform draws them
// (GET /api/v1/map/districts), coloured by a figure, and the buildings as points
// (GET /api/v1/map/buildings), coloured by tier, occupancy or featured industry and sized by tax.
import { registerMap, type EChartsCoreOption } from "echarts/core";
import { computed, ref, type Ref } from "vue";
import { useI18n } from "vue-i18n";

import type { components } from "@/api/client";
import { formatMoney, formatNumber, formatPercent } from "@/composables/format";

export type DistrictMap = components["schemas"]["DistrictMap"];
export type BuildingMap = components["schemas"]["BuildingMap"];
export type BuildingFeature = components["schemas"]["BuildingFeature"];
export type Tier = NonNullable<components["schemas"]["BuildingProperties"]["tier"]>;
export type ColourBy = "tier" | "occupancy" | "industry";
type ScoreBoard = components["schemas"]["ScoreBoard"];

/**
 * The figure the districts are coloured by: "total" (the score) or an Annex 1 indicator's
 * actual; each district's value of it from the score board, and its name.
 */
export function useDistrictFigure(board: Ref<ScoreBoard | null>) {
  const { t } = useI18n();
  const figure = ref("total");
  const values = computed(() => {
    const found: Record<string, number | null> = {};
    for (const d of board.value?.districts ?? []) {
      found[d.district_id] =
        figure.value === "total"
          ? d.total
          : (d.indicators.find((i) => i.key === figure.value)?.actual ?? null);
    }
    return found;
  });
  const label = computed(() =>
    figure.value === "total" ? t("scores.total") : t(`indicators.${figure.value}`),
  );
  return { figure, values, label };
}

/** One kind of point on the map: its legend label, colour, size and buildings. */
export interface PointGroup {
  key: string;
  label: string;
  color: string;
  size: number;
  buildings: BuildingFeature[];
}

// Past this many points ECharts draws a group in one pass (its large mode): every point of a
// group then has the group's size, so the tiers' sizes carry the tax.
export const LARGE = 4000;

const registered = new Set<string>();

/** The boundaries registered with ECharts under a name of their version; that name. */
export function registerDistricts(map: DistrictMap): string {
  const name = `districts-v${map.version}`;
  if (!registered.has(name)) {
    registerMap(name, map as never);
    registered.add(name);
  }
  return name;
}

/** [west, south, east, north] of a geometry's coordinates, however deeply nested. */
function bounds(coordinates: unknown, box = [Infinity, Infinity, -Infinity, -Infinity]): number[] {
  if (Array.isArray(coordinates) && typeof coordinates[0] === "number") {
    const [x, y] = coordinates as number[];
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  } else if (Array.isArray(coordinates)) {
    for (const part of coordinates) bounds(part, box);
  }
  return box;
}

/** The geo component's centre and zoom that show one district filling most of the map. */
export function focusOn(map: DistrictMap, district?: string): { center?: number[]; zoom?: number } {
  const feature = map.features.find((f) => f.properties.district_id === district);
  if (!feature) return {};
  const [w, s, e, n] = bounds(feature.geometry.coordinates);
  const [cw, cs, ce, cn] = bounds(map.features.map((f) => f.geometry.coordinates));
  const zoom = 0.8 * Math.min((ce - cw) / (e - w), (cn - cs) / (n - s));
  return { center: [(w + e) / 2, (s + n) / 2], zoom: Math.max(1, zoom) };
}

const TIER_STYLE: Record<Tier | "none", { color: string; size: number }> = {
  none: { color: "#7d96b5", size: 5 },
  "100m": { color: "#e6a23c", size: 9 },
  "500m": { color: "#f56c6c", size: 12 },
  "1b": { color: "#a0153e", size: 15 },
};
const OCCUPANCY_BANDS = [
  { key: "low", below: 0.6, color: "#f56c6c" },
  { key: "fair", below: 0.8, color: "#e6a23c" },
  { key: "good", below: 0.9, color: "#95d475" },
  { key: "full", below: Infinity, color: "#529b2e" },
];
const INDUSTRY_COLORS = ["#1d5fa8", "#9b59b6", "#16a085", "#d35400", "#c0392b", "#2c3e50"];
const QUIET = "#b8c4d6";

/** Labels the groups are named with (the page's translations). */
export interface GroupLabels {
  tier: (tier: Tier | "none") => string;
  occupancy: (band: string) => string;
  industry: (industry: string) => string;
  none: string;
}

/** The buildings split into the groups the chosen colouring shows, in legend order. */
export function pointGroups(
  buildings: BuildingFeature[],
  colourBy: ColourBy,
  labels: GroupLabels,
  industries: readonly string[],
): PointGroup[] {
  const groups = new Map<string, PointGroup>();
  const add = (key: string, label: string, color: string, size: number, b: BuildingFeature) => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, label, color, size, buildings: [] }));
    group.buildings.push(b);
  };
  const order: string[] = [];
  if (colourBy === "tier") {
    order.push("none", "100m", "500m", "1b");
    for (const b of buildings) {
      const tier = b.properties.tier ?? "none";
      add(tier, labels.tier(tier), TIER_STYLE[tier].color, TIER_STYLE[tier].size, b);
    }
  } else if (colourBy === "occupancy") {
    order.push("unknown", ...OCCUPANCY_BANDS.map((band) => band.key));
    for (const b of buildings) {
      const rate = b.properties.occupancy_rate;
      const band = rate == null ? null : OCCUPANCY_BANDS.find((x) => rate < x.below)!;
      if (band) add(band.key, labels.occupancy(band.key), band.color, 7, b);
      else add("unknown", labels.none, QUIET, 5, b);
    }
  } else {
    order.push("none", ...industries);
    for (const b of buildings) {
      const industry = b.properties.featured_industries[0];
      if (industry === undefined) add("none", labels.none, QUIET, 5, b);
      else {
        const color = INDUSTRY_COLORS[industries.indexOf(industry) % INDUSTRY_COLORS.length];
        add(industry, labels.industry(industry), color, 9, b);
      }
    }
  }
  return order.flatMap((key) => groups.get(key) ?? []);
}

/** What a point's tooltip shows. */
function describe(b: BuildingFeature, names: (district: string) => string): string {
  const p = b.properties;
  return [
    `<strong>${escape(p.name)}</strong>`,
    escape(names(p.district_id)),
    `${formatMoney(p.tax_total_cny)} · ${formatPercent(p.occupancy_rate)}`,
  ].join("<br>");
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A point's size: its group's in large mode, else grown with the square root of its tax. */
function sizeOf(group: PointGroup, large: boolean): number | ((value: unknown[]) => number) {
  if (large) return group.size;
  return (value: unknown[]) => {
    const yi = Number(value[2] ?? 0) / 1e8;
    return Math.min(22, Math.max(group.size - 2, group.size - 2 + Math.sqrt(Math.max(0, yi)) * 4));
  };
}

export interface CityMapInput {
  mapName: string;
  districtIds: string[];
  districtName: (district: string) => string;
  values: Record<string, number | null>;
  valueLabel: string;
  groups: PointGroup[];
  // Where the map opens: on one district (`focusOn`), else the whole city.
  focus?: { center?: number[]; zoom?: number };
}

const LOW = [0xdb, 0xe9, 0xf8]; // the lightest shade: the lowest figure
const HIGH = [0x1d, 0x5f, 0xa8]; // the darkest: the highest
const NO_FIGURE = "#f4f6f9";

/** The district's shade between LOW and HIGH, as the scale beside the map shows it. */
export function shade(value: number, low: number, high: number): string {
  const at = high > low ? Math.min(1, Math.max(0, (value - low) / (high - low))) : 0;
  const rgb = LOW.map((from, i) => Math.round(from + (HIGH[i] - from) * at));
  return `rgb(${rgb.join(", ")})`;
}

/**
 * The map's ECharts option: each district shaded by its figure (a district without one, as a
 * district officer sees the others, stays pale), the groups' points on top. The districts are
 * the geo component's regions, shaded here: ECharts' own map series paints a region without
 * data in its palette's first colour.
 */
export function cityMapOption(input: CityMapInput): EChartsCoreOption {
  const numbers = Object.values(input.values).filter((v): v is number => v != null);
  const low = numbers.length ? Math.min(...numbers) : 0;
  const high = numbers.length ? Math.max(...numbers) : 1;
  const total = input.groups.reduce((n, g) => n + g.buildings.length, 0);
  const large = total > LARGE;
  const figure = (district: string) => {
    const value = input.values[district];
    return value == null ? "—" : formatNumber(value, 2);
  };
  return {
    tooltip: { trigger: "item" },
    legend: input.groups.length
      ? { bottom: 0, right: 0, orient: "horizontal", data: input.groups.map((g) => g.label) }
      : undefined,
    geo: {
      map: input.mapName,
      nameProperty: "district_id",
      roam: true,
      layoutCenter: ["50%", "48%"],
      layoutSize: "95%",
      ...input.focus,
      label: { show: true, fontSize: 11, color: "#223", formatter: (p: { name: string }) => input.districtName(p.name) },
      itemStyle: { areaColor: NO_FIGURE, borderColor: "#6b7f99", borderWidth: 1 },
      emphasis: { itemStyle: { areaColor: "#ffe8a3" }, label: { show: true } },
      select: { disabled: true },
      regions: input.districtIds.map((name) => {
        const value = input.values[name];
        return { name, itemStyle: { areaColor: value == null ? NO_FIGURE : shade(value, low, high) } };
      }),
      tooltip: {
        show: true,
        formatter: (p: { name: string }) =>
          `${escape(input.districtName(p.name))}<br>${escape(input.valueLabel)}：${figure(p.name)}`,
      },
    },
    // The scale of the districts' shades (no series of its own: the regions are shaded above);
    // none for a single district's figure (a district officer's), which has nothing to compare.
    visualMap:
      numbers.length > 1
      ? {
          type: "continuous",
          seriesIndex: [],
          min: low,
          max: high > low ? high : low + 1,
          text: [formatNumber(high, 2), formatNumber(low, 2)],
          left: 8,
          bottom: 8,
          itemHeight: 100,
          calculable: false,
          inRange: { color: ["#dbe9f8", "#1d5fa8"] },
        }
      : undefined,
    series: input.groups.map((group) => ({
      type: "scatter",
      coordinateSystem: "geo",
      name: group.label,
      large,
      largeThreshold: LARGE,
      symbolSize: sizeOf(group, large),
      itemStyle: { color: group.color, opacity: 0.85, borderColor: "#fff", borderWidth: large ? 0 : 0.5 },
      data: group.buildings.map((b) => [
        b.geometry.coordinates[0],
        b.geometry.coordinates[1],
        b.properties.tax_total_cny === null ? 0 : Number(b.properties.tax_total_cny),
        b.properties.id,
      ]),
      tooltip: {
        formatter: (p: { dataIndex: number }) => describe(group.buildings[p.dataIndex], input.districtName),
      },
    })),
  };
}
