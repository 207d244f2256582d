// The gRPC pieces the plugin serves with, taken from the program's own @pulumi/pulumi (a peer
// dependency): its generated provider stubs, and the @grpc/grpc-js and google-protobuf copies
// those stubs were built against (grpc-js checks credentials and services by class).
import * as path from "node:path";
import type * as grpcJs from "@grpc/grpc-js";
import type * as providerPbModule from "@pulumi/pulumi/proto/provider_pb";
import type * as pluginPbModule from "@pulumi/pulumi/proto/plugin_pb";
import type * as structPbModule from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyPbModule from "google-protobuf/google/protobuf/empty_pb";

export interface GrpcModules {
  grpc: typeof grpcJs;
  providerPb: typeof providerPbModule;
  pluginPb: typeof pluginPbModule;
  providerGrpc: { ResourceProviderService: grpcJs.ServiceDefinition };
  structPb: typeof structPbModule;
  emptyPb: typeof emptyPbModule;
}

let loaded: GrpcModules | undefined;

/** Loads the modules once; throws a message naming the missing peer dependency. */
export function grpcModules(): GrpcModules {
  if (loaded) return loaded;
  let pulumiDir: string;
  try {
    pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  } catch {
    throw new Error("pulumi-resource-rocketmq-tasks needs @pulumi/pulumi (>= 3.160) installed beside pulumi-rocketmq-tasks: npm install @pulumi/pulumi");
  }
  const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
  loaded = {
    grpc: fromPulumi("@grpc/grpc-js"),
    providerPb: require("@pulumi/pulumi/proto/provider_pb"),
    pluginPb: require("@pulumi/pulumi/proto/plugin_pb"),
    providerGrpc: require("@pulumi/pulumi/proto/provider_grpc_pb"),
    structPb: fromPulumi("google-protobuf/google/protobuf/struct_pb"),
    emptyPb: fromPulumi("google-protobuf/google/protobuf/empty_pb"),
  };
  return loaded;
}
