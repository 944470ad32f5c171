import { graphql } from '../../gql';

export const CommunityQuery = graphql(`
  query CommunityPage($id: String!, $atLeastPosition: Int) {
    community(id: $id, atLeastPosition: $atLeastPosition) {
      id
      name
      street
      establishedOn
      areaM2
      profileAsOf
      households
      residents
      compounds
      coBuildingUnits
      merchants
      partySecretary
      firstSecretary
      grids {
        id
        name
        workers {
          name
          kind
        }
      }
      stars {
        star
        aimed
        awardedOn
      }
      issueStats {
        open
        overdue
        resolved
        meanHoursToResolve
        p90HoursToResolve
      }
      compoundsList {
        id
        name
        propertyCompany
        companySince
      }
      heatingProjects {
        id
        compoundId
        contractor
        households
        targetDate
        milestonesDone
        currentMilestone
        percent
        late
        commissionedOn
      }
      newsroom {
        name
        foundedOn
        videoCount
        totalViews
      }
      videos {
        id
        title
        topic
        publishedOn
        views
        recommendedBy
        contest
        channels
      }
      activities {
        id
        venue
        title
        theme
        heldOn
        participants
        volunteers
        durationMinutes
        worksMade
        summary
      }
      charityItems {
        saleId
        saleTitle
        itemId
        name
        priceFen
        status
        soldFen
      }
      charityProceedsFen
    }
  }
`);
