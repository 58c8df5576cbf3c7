import { defineStore } from "pinia";

import { api, ApiError, setCsrfToken, unwrap, type components } from "@/api/client";

export type User = components["schemas"]["UserPublic"];
export type Role = User["role"];

/** The signed-in person, shared by every page; the chosen year too. */
export const useSession = defineStore("session", {
  state: () => ({
    user: null as User | null,
    passwordChangeRequired: false,
    enrolmentRequired: false,
    year: 2023,
    checked: false,
  }),
  getters: {
    role: (state): Role | null => state.user?.role ?? null,
    isAdmin: (state) => state.user?.role === "admin",
    readsEverything: (state) => ["admin", "supervision"].includes(state.user?.role ?? ""),
    mayWrite: (state) => ["admin", "district"].includes(state.user?.role ?? ""),
    ready: (state) =>
      state.user !== null && !state.passwordChangeRequired && !state.enrolmentRequired,
  },
  actions: {
    /** Who is signed in (a session cookie may outlive a page reload). */
    async refresh(): Promise<void> {
      const result = await api.GET("/api/v1/auth/me");
      this.checked = true;
      if (!result.response.ok) {
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
      setCsrfToken(signed.csrf_token);
      this.user = signed.user;
      this.passwordChangeRequired = signed.password_change_required;
      this.enrolmentRequired = signed.second_factor_enrolment_required ?? false;
      this.checked = true;
    },
    async logout(): Promise<void> {
      await api.POST("/api/v1/auth/logout").catch(() => undefined);
      setCsrfToken("");
      this.user = null;
    },
    isSecondFactorRequired(error: unknown): boolean {
      return error instanceof ApiError && error.extra.second_factor_required === true;
    },
  },
});
