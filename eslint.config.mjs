import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "bin/**", "**/*.js", "test/browser/apps/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  { files: ["scripts/**", "test/**", "bench/**"], rules: { "no-console": "off" } },
  {
    // The engine runs a dynamic provider from its serialized closure, which rebuilds each class
    // from its constructor's text: a field initialiser outside the constructor is lost.
    files: ["components/providers/**", "components/errors.ts"],
    rules: {
      "no-restricted-syntax": ["error", {
        selector: "PropertyDefinition[value!=null]:not([static=true])",
        message: "Assign instance fields in the constructor: the serialized provider drops class-field initialisers.",
      }],
    },
  },
);
