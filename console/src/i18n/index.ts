import { createI18n } from "vue-i18n";

import zhCN from "./zh-CN";

// Every Chinese text of the console lives in zh-CN.ts: an English edition is one more file.
export const i18n = createI18n({ legacy: false, locale: "zh-CN", messages: { "zh-CN": zhCN } });
