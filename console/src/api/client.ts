// The only way the console reaches the platform: typed by the gateway's OpenAPI document
// (schema.ts is generated from openapi.json, which `sbe openapi` writes), errors mapped from
// RFC 9457 problem documents in one place.
import createClient, { type Middleware } from "openapi-fetch";

import type { paths } from "./schema";

export type { components, paths } from "./schema";

export interface FieldProblem {
  index?: number | null;
  field: string;
  message: string;
}

// What each refusal means, in the words the pages show; the platform's own detail follows.
const STATUS_ZH: Record<number, string> = {
  400: "请求有误",
  401: "登录已失效或口令错误",
  403: "无权进行此操作",
  404: "未找到",
  409: "与已有数据冲突",
  413: "提交的内容过大",
  422: "提交的数据有误",
  429: "操作过于频繁，请稍后再试",
  502: "服务暂时不可用",
  503: "服务暂时不可用",
  504: "服务响应超时",
};

/** A problem+json answer, as an error the pages can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
    readonly type: string = "",
  ) {
    super(detail || title);
  }

  /** Whether the platform named this kind of problem (the last segment of its `type`). */
  is(kind: string): boolean {
    return this.type.endsWith(`/${kind}`);
  }

  /** The refusal in Chinese, with the platform's detail. */
  get text(): string {
    const zh = STATUS_ZH[this.status] ?? "操作未成功";
    return this.detail ? `${zh}（${this.detail}）` : zh;
  }

  /** field → message, for a form's field errors (the last segment of the field's path). */
  fieldMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      const key = e.field.split(".").pop() ?? e.field;
      out[key] = out[key] ? `${out[key]}；${e.message}` : e.message;
    }
    return out;
  }
}

// Set while this browser holds a session (the cookie itself is HttpOnly). Signed out, the console
// sends nothing but the sign-in calls: a page still loading when someone signs out would only
// be refused (401, which the browser logs), and asking who is signed in would be too.
const SIGNED_IN_KEY = "sbe.signedIn";

export function isSignedIn(): boolean {
  return localStorage.getItem(SIGNED_IN_KEY) !== null;
}

export function markSignedIn(signedIn: boolean): void {
  if (signedIn) localStorage.setItem(SIGNED_IN_KEY, "1");
  else localStorage.removeItem(SIGNED_IN_KEY);
}

/** What a page gets for a call made after signing out (never sent). */
export class SignedOut extends Error {}

const signedInOnly: Middleware = {
  onRequest({ request }) {
    if (!isSignedIn() && !new URL(request.url).pathname.startsWith("/api/v1/auth/")) {
      throw new SignedOut("signed out");
    }
    return request;
  },
};

let csrfToken = sessionStorage.getItem("sbe.csrf") ?? "";

/** Kept for the tab's life: changes made with the session carry it (X-CSRF-Token). */
export function setCsrfToken(token: string): void {
  csrfToken = token;
  if (token) sessionStorage.setItem("sbe.csrf", token);
  else sessionStorage.removeItem("sbe.csrf");
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!["GET", "HEAD", "OPTIONS"].includes(request.method) && csrfToken) {
      request.headers.set("X-CSRF-Token", csrfToken);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(signedInOnly, csrf);

/** Turn a non-2xx answer into an ApiError (problem+json when the platform sent one). */
export async function problemOf(response: Response, body?: unknown): Promise<ApiError> {
  const doc = (body ?? (await response.json().catch(() => ({})))) as Record<string, unknown>;
  const { title, detail, errors, status, type, ...extra } = doc;
  return new ApiError(
    (status as number) ?? response.status,
    (title as string) ?? response.statusText,
    (detail as string) ?? "",
    (errors as FieldProblem[]) ?? [],
    extra,
    (type as string) ?? "",
  );
}

/** The data of an openapi-fetch result, or the ApiError it carries. */
export async function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): Promise<T> {
  if (result.response.ok) return result.data as T;
  throw await problemOf(result.response, result.error);
}

/** `null` where the platform has nothing to show yet (404), the refusal itself otherwise. */
export function absentAsNull(error: unknown): null {
  if (error instanceof ApiError && error.status === 404) return null;
  throw error;
}

/** Download a file answer (CSV, XLSX) as the browser would save it. */
export async function download(url: string, filename: string): Promise<void> {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw await problemOf(response);
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  link.click();
  URL.revokeObjectURL(link.href);
}
