import { describe, expect, it } from "vitest";

import { ApiError } from "@/api/client";
import { problemText, useAttempt } from "@/composables/attempt";

describe("a page's attempt", () => {
  it("shows the platform's problem and its fields, and says the work failed", async () => {
    const { problem, fieldErrors, busy, attempt } = useAttempt();
    const refused = new ApiError(422, "Unprocessable", "名称不能为空", [
      { field: "body.name", message: "不能为空" },
    ]);
    const done = await attempt(async () => {
      expect(busy.value).toBe(true);
      throw refused;
    });
    expect(done).toBe(false);
    expect(busy.value).toBe(false);
    expect(problem.value).toBe(refused.text);
    expect(fieldErrors.value).toEqual({ name: "不能为空" });
  });

  it("clears the last problem when the next attempt succeeds", async () => {
    const { problem, attempt } = useAttempt();
    await attempt(async () => {
      throw new Error("网络中断");
    });
    expect(problem.value).toBe("Error: 网络中断");
    expect(await attempt(async () => undefined)).toBe(true);
    expect(problem.value).toBe("");
  });

  it("leaves a problem the page handles itself unshown", async () => {
    const { problem, attempt } = useAttempt();
    const missing = new ApiError(404, "Not Found", "", [], {}, "https://x/problems/targets-missing");
    const done = await attempt(
      async () => {
        throw missing;
      },
      (error) => error instanceof ApiError && error.is("targets-missing"),
    );
    expect(done).toBe(false);
    expect(problem.value).toBe("");
  });

  it("writes any error as text", () => {
    expect(problemText(new ApiError(503, "Unavailable", ""))).toBe("服务暂时不可用");
    expect(problemText("断开")).toBe("断开");
  });
});
