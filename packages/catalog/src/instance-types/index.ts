/** All instance types, validated at module load (see `parseInstanceTypes`). */
import { parseInstanceTypes } from "../schemas";
import type { InstanceType } from "../types";
import { AWS_INSTANCE_TYPES } from "./aws";
import { COREWEAVE_INSTANCE_TYPES } from "./coreweave";
import { GCP_INSTANCE_TYPES } from "./gcp";
import { LAMBDA_INSTANCE_TYPES } from "./lambda";

/** Every catalogued instance type, frozen, in provider order aws, gcp, coreweave, lambda. */
export const INSTANCE_TYPES: readonly InstanceType[] = parseInstanceTypes([
  ...AWS_INSTANCE_TYPES,
  ...GCP_INSTANCE_TYPES,
  ...COREWEAVE_INSTANCE_TYPES,
  ...LAMBDA_INSTANCE_TYPES,
]);
