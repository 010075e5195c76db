/** Pulumi entry point (root Pulumi.yaml `main`): the exported function's result becomes the stack outputs. */
import * as pulumi from "@pulumi/pulumi";
import { runEnvironment } from "./main";

export = () => runEnvironment(pulumi.getStack());
