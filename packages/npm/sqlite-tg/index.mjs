// sqlite-tg for ES modules: the CommonJS implementation (index.cjs), re-exported.
import { createRequire } from "node:module";

const tg = createRequire(import.meta.url)("./index.cjs");

export const { getLoadablePath, getModelPath, load, version } = tg;
export default tg;
