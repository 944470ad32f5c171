// Types for every GraphQL document in src/, generated from the server's schema.graphql.
// `npm run codegen:check` fails when src/gql/ no longer matches them.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Date: 'string', UUID: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
