// The `.portparity.yaml` validator: esbuild.mjs compiles config-schema.ts's schema with ajv into plain
// code (ajv's standalone output) and bundles it under this name, so no bundle compiles a schema or runs
// `new Function`, and none carries ajv's compiler.
declare module 'virtual:config-validate' {
  import type { ValidateFunction } from 'ajv';
  const validate: ValidateFunction;
  export default validate;
}
