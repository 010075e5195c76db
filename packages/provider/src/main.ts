/** Entry point of the `switchyard` resource plugin (bin/pulumi-resource-switchyard runs it). */
import { main } from "@pulumi/pulumi/provider";
import { SwitchyardProvider } from "./provider";

void main(new SwitchyardProvider(), process.argv.slice(2));
