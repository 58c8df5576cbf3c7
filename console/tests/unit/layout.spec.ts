import { mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { describe, expect, it } from "vitest";
import { createMemoryHistory, createRouter } from "vue-router";

import AppLayout from "@/components/AppLayout.vue";
import { i18n } from "@/i18n";
import { routes } from "@/router";
import { useSession, type User } from "@/stores/session";

function person(role: User["role"], district_id: string | null = null, unit: string | null = null): User {
  return {
    id: "usr_1",
    username: "someone",
    display_name: "王科长",
    role,
    district_id,
    unit,
    status: "active",
    second_factor: false,
    locked_until: null,
    created_at: "2023-01-01T00:00:00Z",
    last_login_at: null,
  };
}

async function menuOf(user: User): Promise<string[]> {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSession().user = user;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/:p(.*)*", component: { template: "<div/>" } }] });
  const wrapper = mount(AppLayout, { global: { plugins: [pinia, router, i18n] } });
  await router.isReady();
  return wrapper.findAll("li[role='menuitem']").map((li) => li.text());
}

describe("the menu shows a role only the pages it may open", () => {
  it("an administrator sees system administration", async () => {
    expect(await menuOf(person("admin"))).toContain("系统管理");
  });
  it("a district sees its pages and the blue book, not administration", async () => {
    const menu = await menuOf(person("district", "gusu"));
    expect(menu).toContain("企业入驻迁出");
    expect(menu).not.toContain("系统管理");
    expect(menu).toContain("蓝皮书"); // its public edition
  });
  it("a bureau sees events, key tasks and the blue book's public edition only", async () => {
    expect(await menuOf(person("bureau", null, "市住建局"))).toEqual(["活动", "重点任务", "蓝皮书"]);
  });
  it("routes declare the roles they admit", () => {
    expect(routes.find((r) => r.path === "/admin")?.meta?.roles).toEqual(["admin"]);
  });
});
