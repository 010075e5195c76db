export { GpuNodePool } from "./component";
export type {
  AwsGpuNodePoolArgs,
  CoreWeaveGpuNodePoolArgs,
  EksNvidiaAmiType,
  GcpGpuNodePoolArgs,
  GkeGpuDriverVersion,
  GpuNodePoolArgs,
  InstanceTypeDefinitionArgs,
  KarpenterArgs,
  LambdaClusterJoinArgs,
  LambdaGpuNodePoolArgs,
} from "./args";
export { DEFAULT_GPU_POOL_TAINT, resolveGpuNodePoolArgs } from "./resolve";
export type { ResolvedEphemeralStorage, ResolvedGpuNodePool } from "./resolve";
export { coreweaveNodePoolObject } from "./coreweave";
export { al2023LocalStorageUserData, ec2NodeClassObject, eksLaunchTemplateArgs, eksNodeGroupArgs, karpenterNodePoolObject } from "./aws";
export { gkeNodePoolArgs } from "./gcp";
export { LAMBDA_API_BASE_URL, LambdaInstance, renderLambdaCloudInit } from "./lambda";
export type { LambdaCloudInitArgs, LambdaInstanceArgs } from "./lambda";
