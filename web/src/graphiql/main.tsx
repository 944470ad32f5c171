// GraphiQL from the npm package, built into the binary: it works on an intranet with no
// internet. Requests carry the headers typed into its "Headers" tab (a bearer token).
import 'graphiql/style.css';

import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';

const wsScheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  subscriptionUrl: `${wsScheme}://${window.location.host}/graphql/ws`,
});

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    <GraphiQL
      fetcher={fetcher}
      defaultHeaders={'{\n  "Authorization": "Bearer <token>"\n}'}
      defaultQuery={'{\n  communities {\n    name\n    households\n    residents\n  }\n}\n'}
    />,
  );
}
