import { useSubscription } from '../api/live';
import { graphql } from '../gql';
import type { CommunityChangesSubscription } from '../gql/graphql';

const Changes = graphql(`
  subscription CommunityChanges($communityId: String!) {
    communityChanges(communityId: $communityId, current: true) {
      id
      name
      issueStats {
        open
      }
    }
  }
`);

export type ChangedCommunity = CommunityChangesSubscription['communityChanges'];

/** Calls `onChange` with the community (as the read models hold it then) once the
 * subscription has started (`current`: a change committed while it was starting is in the
 * read models by then) and after each of its changes, while mounted. */
export function CommunityChanges({ communityId, onChange }: { communityId: string; onChange: (community: ChangedCommunity) => void }) {
  useSubscription(Changes, { communityId }, (data) => onChange(data.communityChanges));
  return null;
}
