/** Process entry point: `switchyard <command>`. */
import { main } from "./main";

void main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.env.SWITCHYARD_CWD ?? process.env.INIT_CWD ?? process.cwd() }).then((code) => {
  process.exitCode = code;
});
