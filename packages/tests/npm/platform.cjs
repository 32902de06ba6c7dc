// Preloaded with `node --require`: this process looks like TG_PLATFORM (linux-arm64,
// win32-x64) to sqlite-tg, so that packages/tests/cross.sh sees which library
// getLoadablePath() picks from a project that npm installed for that platform
// (--os, --cpu); the library itself then runs under qemu-user or Wine.
"use strict";
const [platform, arch] = process.env.TG_PLATFORM.split("-");
Object.defineProperty(process, "platform", { value: platform });
Object.defineProperty(process, "arch", { value: arch });
