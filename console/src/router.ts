import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";

import { useSession, type Role } from "@/stores/session";

declare module "vue-router" {
  interface RouteMeta {
    title?: string;
    roles?: Role[];
    public?: boolean;
  }
}

const everyone: Role[] = ["admin", "supervision", "district", "bureau"];
const readers: Role[] = ["admin", "supervision", "district"];

// Pages load on demand: the first load carries the cockpit, not every page.
export const routes: RouteRecordRaw[] = [
  { path: "/login", component: () => import("@/pages/login/LoginPage.vue"), meta: { public: true, title: "nav.login" } },
  { path: "/", component: () => import("@/pages/cockpit/CockpitPage.vue"), meta: { title: "nav.cockpit", roles: readers } },
  { path: "/map", component: () => import("@/pages/map/MapPage.vue"), meta: { title: "nav.map", roles: readers } },
  { path: "/scores", component: () => import("@/pages/scores/ScoresPage.vue"), meta: { title: "nav.scores", roles: readers } },
  { path: "/buildings", component: () => import("@/pages/buildings/BuildingsPage.vue"), meta: { title: "nav.buildings", roles: readers } },
  { path: "/buildings/:id", component: () => import("@/pages/buildings/BuildingPage.vue"), meta: { title: "nav.buildings", roles: readers } },
  { path: "/movements", component: () => import("@/pages/movements/MovementsPage.vue"), meta: { title: "nav.movements", roles: readers } },
  { path: "/warnings", component: () => import("@/pages/warnings/WarningsPage.vue"), meta: { title: "nav.warnings", roles: readers } },
  { path: "/events", component: () => import("@/pages/events/EventsPage.vue"), meta: { title: "nav.events", roles: everyone } },
  { path: "/tasks", component: () => import("@/pages/tasks/TasksPage.vue"), meta: { title: "nav.tasks", roles: everyone } },
  { path: "/bluebook", component: () => import("@/pages/bluebook/BlueBookPage.vue"), meta: { title: "nav.bluebook", roles: everyone } },
  { path: "/review", component: () => import("@/pages/review/ReviewPage.vue"), meta: { title: "nav.review", roles: ["admin"] } },
  { path: "/admin", component: () => import("@/pages/admin/AdminPage.vue"), meta: { title: "nav.admin", roles: ["admin"] } },
  { path: "/:rest(.*)*", redirect: "/" },
];

export const router = createRouter({ history: createWebHistory(), routes });

/** The first page a role may open. */
export function homeOf(role: Role | null): string {
  return role === "bureau" ? "/tasks" : "/";
}

router.beforeEach(async (to) => {
  const session = useSession();
  if (!session.checked) await session.refresh();
  if (to.meta.public) return true;
  if (!session.user || !session.ready) return { path: "/login", query: { next: to.fullPath } };
  if (!session.years.length) await session.loadReference();
  const roles = to.meta.roles;
  if (roles && !roles.includes(session.user.role)) return homeOf(session.user.role);
  return true;
});
