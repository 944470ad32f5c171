import { useQuery } from '@tanstack/react-query';

import { request } from '../api/graphql';
import { graphql } from '../gql';

const MeQuery = graphql(`
  query Me {
    me {
      login
      displayName
      role
      communities
    }
  }
`);

/** The signed-in account as the log says now. */
export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => request(MeQuery) });
}
