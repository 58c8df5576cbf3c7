import { defineStore } from "pinia";

import {
  api,
  ApiError,
  isSignedIn,
  markSignedIn,
  setCsrfToken,
  unwrap,
  type components,
} from "@/api/client";

export type User = components["schemas"]["UserPublic"];
export type District = components["schemas"]["DistrictPublic"];
export type Role = User["role"];

const YEAR_KEY = "sbe.year";

/** The year chosen before (this browser remembers it), or 0 when none was. */
function rememberedYear(): number {
  const year = Number(localStorage.getItem(YEAR_KEY));
  return Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : 0;
}

/** The signed-in person, shared by every page; the chosen year too. */
export const useSession = defineStore("session", {
  state: () => ({
    user: null as User | null,
    passwordChangeRequired: false,
    enrolmentRequired: false,
    // Set before the first page: the year remembered, else the latest year with data.
    year: rememberedYear(),
    // The years the platform has figures for, this year and the next (targets are set ahead).
    years: [] as number[],
    // The ten districts in the plan's order, as the platform names them (GET /api/v1/districts).
    districts: [] as District[],
    // While the platform holds the demonstration city, every page says so (演示数据).
    demo: false,
    checked: false,
  }),
  getters: {
    role: (state): Role | null => state.user?.role ?? null,
    isAdmin: (state) => state.user?.role === "admin",
    readsEverything: (state) => ["admin", "supervision"].includes(state.user?.role ?? ""),
    mayWrite: (state) => ["admin", "district"].includes(state.user?.role ?? ""),
    ready: (state) =>
      state.user !== null && !state.passwordChangeRequired && !state.enrolmentRequired,
    /** A district's Chinese name (its id while the list has not come, — for none). */
    districtName: (state) => (id: string | null | undefined) =>
      id ? (state.districts.find((d) => d.district_id === id)?.name_zh ?? id) : "—",
  },
  actions: {
    /** Who is signed in (a session cookie may outlive a page reload). */
    async refresh(): Promise<void> {
      this.checked = true;
      // Without a session in this browser, nobody to ask about (the console goes to sign in).
      if (!isSignedIn()) {
        this.user = null;
        return;
      }
      const result = await api.GET("/api/v1/auth/me");
      if (!result.response.ok) {
        markSignedIn(false);
        this.user = null;
        return;
      }
      const me = result.data!;
      this.user = me.user;
      this.passwordChangeRequired = me.password_change_required;
      this.enrolmentRequired = me.second_factor_enrolment_required;
    },
    async login(username: string, password: string, totp?: string): Promise<void> {
      const result = await api.POST("/api/v1/auth/login", {
        body: { username, password, totp: totp || null },
      });
      const signed = await unwrap(result);
      markSignedIn(true);
      setCsrfToken(signed.csrf_token);
      this.user = signed.user;
      this.passwordChangeRequired = signed.password_change_required;
      this.enrolmentRequired = signed.second_factor_enrolment_required ?? false;
      this.checked = true;
    },
    /**
     * What every page needs before the first: the districts, the years to offer, and the year to
     * open on when none was chosen before.
     */
    async loadReference(): Promise<void> {
      const [known, marker, districts] = await Promise.all([
        api.GET("/api/v1/monitoring/years").then(unwrap),
        api.GET("/api/v1/demo/marker").then(unwrap),
        api.GET("/api/v1/districts").then(unwrap),
      ]);
      this.districts = districts;
      this.demo = marker.demo;
      const offered = new Set([...known.years, known.current, known.current + 1]);
      if (!this.year) this.year = known.latest_with_data ?? known.current;
      offered.add(this.year);
      this.years = [...offered].sort((a, b) => a - b);
    },
    chooseYear(year: number): void {
      this.year = year;
      localStorage.setItem(YEAR_KEY, String(year));
    },
    async logout(): Promise<void> {
      markSignedIn(false);
      await api.POST("/api/v1/auth/logout").catch(() => undefined);
      setCsrfToken("");
      this.user = null;
    },
    isSecondFactorRequired(error: unknown): boolean {
      return error instanceof ApiError && error.extra.second_factor_required === true;
    },
  },
});
