import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

import { request } from '../api/graphql';
import { graphql } from '../gql';

const PlacesQuery = graphql(`
  query Places {
    communities {
      id
      name
      compoundsList {
        id
        name
      }
    }
  }
`);

/**
 * The names of the communities and compounds the signed-in account may read, for pages
 * whose records hold only ids. An id not (yet) known shows as itself.
 */
export function usePlaceNames() {
  const places = useQuery({ queryKey: ['places'], queryFn: () => request(PlacesQuery), staleTime: 60_000 });
  // Built once per answer, not on every render of the page that asks.
  return useMemo(() => {
    const communities = new Map<string, string>();
    const compounds = new Map<string, string>();
    for (const c of places.data?.communities ?? []) {
      communities.set(c.id, c.name);
      for (const compound of c.compoundsList) compounds.set(compound.id, compound.name);
    }
    return {
      community: (id: string) => communities.get(id) ?? id,
      compound: (id: string) => compounds.get(id) ?? id,
    };
  }, [places.data]);
}
