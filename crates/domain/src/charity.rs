//! A charity sale (义卖): items listed, pre-sold, sold or withdrawn; proceeds.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::aggregate::{Aggregate, EventCodec, UpcastError};
use crate::happened::Happened;
use crate::values::{CommunityId, Fen, ItemId, Name, SaleId};

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// On offer.
    Listed,
    /// Reserved before the sale (预售).
    PreSold,
    /// Sold.
    Sold,
    /// Taken off the sale.
    Withdrawn,
}

/// Commands on a charity sale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CharityCommand {
    /// Open a sale.
    Open {
        /// Its id.
        id: SaleId,
        /// Community.
        community: CommunityId,
        /// Title.
        title: Name,
        /// What the sale is for, one aim each (展示作品, 开启预售, 构建爱心机制…), one to five.
        purposes: Vec<Name>,
        /// When.
        opened_on: Date,
    },
    /// List an item.
    ListItem {
        /// The sale.
        id: SaleId,
        /// The item.
        item: ItemId,
        /// What it is, e.g. 手绘牡丹团扇.
        name: Name,
        /// Asking price.
        price: Fen,
    },
    /// Reserve an item before the sale.
    PreSell {
        /// The sale.
        id: SaleId,
        /// The item.
        item: ItemId,
        /// When.
        on: Date,
    },
    /// Sell an item.
    Sell {
        /// The sale.
        id: SaleId,
        /// The item.
        item: ItemId,
        /// Price paid.
        price: Fen,
        /// When.
        on: Date,
    },
    /// Withdraw an unsold item.
    Withdraw {
        /// The sale.
        id: SaleId,
        /// The item.
        item: ItemId,
    },
}

/// Events of a charity sale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CharityEvent {
    /// Opened (schema v2: `purposes`, a list; v1 had one `purpose`).
    CharitySaleOpened {
        /// Id.
        id: SaleId,
        /// Community.
        community: CommunityId,
        /// Title.
        title: Name,
        /// What the sale is for.
        purposes: Vec<Name>,
        /// When.
        opened_on: Date,
    },
    /// Listed.
    CharityItemListed {
        /// Item.
        item: ItemId,
        /// Name.
        name: Name,
        /// Price.
        price: Fen,
    },
    /// Pre-sold.
    CharityItemPreSold {
        /// Item.
        item: ItemId,
        /// When.
        on: Date,
    },
    /// Sold.
    CharityItemSold {
        /// Item.
        item: ItemId,
        /// Price paid.
        price: Fen,
        /// When.
        on: Date,
    },
    /// Withdrawn.
    CharityItemWithdrawn {
        /// Item.
        item: ItemId,
    },
}

/// The most aims a sale may name.
pub const MAX_PURPOSES: usize = 5;

impl EventCodec for CharityEvent {
    fn schema_version(&self) -> i32 {
        match self {
            CharityEvent::CharitySaleOpened { .. } => 2,
            _ => 1,
        }
    }

    fn current_shape(event_type: &str, version: i32) -> bool {
        match event_type {
            "CharitySaleOpened" => version == 2,
            _ => version == 1,
        }
    }

    fn upcast<'a>(
        event_type: &str,
        version: i32,
        payload: &'a serde_json::Value,
    ) -> Result<Cow<'a, serde_json::Value>, UpcastError> {
        if Self::current_shape(event_type, version) {
            return Ok(Cow::Borrowed(payload));
        }
        match (event_type, version) {
            // v1 named one purpose; it is the only one of the list.
            ("CharitySaleOpened", 1) => {
                let mut payload = payload.clone();
                let object = payload
                    .as_object_mut()
                    .ok_or_else(|| UpcastError::BadPayload {
                        event_type: event_type.to_owned(),
                        reason: "not an object".into(),
                    })?;
                let purpose = object
                    .remove("purpose")
                    .ok_or_else(|| UpcastError::BadPayload {
                        event_type: event_type.to_owned(),
                        reason: "no purpose".into(),
                    })?;
                object.insert("purposes".into(), serde_json::Value::Array(vec![purpose]));
                Ok(Cow::Owned(payload))
            }
            _ => Err(UpcastError::UnknownVersion {
                event_type: event_type.to_owned(),
                version,
            }),
        }
    }
}

/// What a sale's stream says now.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CharityState {
    /// Community, once opened.
    pub community: Option<CommunityId>,
    /// Items and their status.
    pub items: BTreeMap<ItemId, ItemStatus>,
}

/// The rules a charity command can break.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CharityError {
    /// Opening twice.
    #[error("the charity sale is already open")]
    SaleAlreadyOpened,
    /// A sale names what it is for, with at most [`MAX_PURPOSES`] aims.
    #[error("a charity sale names one to {MAX_PURPOSES} purposes")]
    Purposes,
    /// Acting on a sale never opened.
    #[error("no such charity sale")]
    SaleNotOpened,
    /// Listing an item id twice.
    #[error("item {0} is already listed")]
    ItemAlreadyListed(String),
    /// Acting on an unknown item.
    #[error("item {0} is not listed")]
    ItemNotListed(String),
    /// Selling what is sold.
    #[error("item {0} is already sold")]
    ItemAlreadySold(String),
    /// Pre-selling what is reserved.
    #[error("item {0} is already pre-sold")]
    ItemAlreadyPreSold(String),
    /// Acting on a withdrawn item.
    #[error("item {0} was withdrawn")]
    ItemWithdrawn(String),
}

/// The charity sale aggregate.
#[derive(Debug)]
pub struct Charity;

impl Aggregate for Charity {
    type State = CharityState;
    type Command = CharityCommand;
    type Event = CharityEvent;
    type Error = CharityError;
    const PREFIX: &'static str = "charity";

    fn target(command: &CharityCommand) -> &str {
        use CharityCommand::*;
        match command {
            Open { id, .. }
            | ListItem { id, .. }
            | PreSell { id, .. }
            | Sell { id, .. }
            | Withdraw { id, .. } => id.as_str(),
        }
    }

    fn creates(command: &CharityCommand) -> bool {
        matches!(command, CharityCommand::Open { .. })
    }

    fn community(command: &CharityCommand, state: &CharityState) -> Option<CommunityId> {
        match command {
            CharityCommand::Open { community, .. } => {
                state.community.clone().or_else(|| Some(community.clone()))
            }
            _ => state.community.clone(),
        }
    }

    fn decide(
        command: &CharityCommand,
        state: &CharityState,
    ) -> Result<Vec<CharityEvent>, CharityError> {
        use CharityCommand as C;
        use CharityError as E;
        use CharityEvent as V;
        let item = |i: &ItemId| {
            let status = *state
                .items
                .get(i)
                .ok_or_else(|| E::ItemNotListed(i.to_string()))?;
            match status {
                ItemStatus::Sold => Err(E::ItemAlreadySold(i.to_string())),
                ItemStatus::Withdrawn => Err(E::ItemWithdrawn(i.to_string())),
                other => Ok(other),
            }
        };
        match command {
            C::Open {
                id,
                community,
                title,
                purposes,
                opened_on,
            } => match state.community {
                Some(_) => Err(E::SaleAlreadyOpened),
                None if purposes.is_empty() || purposes.len() > MAX_PURPOSES => Err(E::Purposes),
                None => Ok(vec![V::CharitySaleOpened {
                    id: id.clone(),
                    community: community.clone(),
                    title: title.clone(),
                    purposes: purposes.clone(),
                    opened_on: *opened_on,
                }]),
            },
            _ if state.community.is_none() => Err(E::SaleNotOpened),
            C::ListItem {
                item: i,
                name,
                price,
                ..
            } => {
                if state.items.contains_key(i) {
                    return Err(E::ItemAlreadyListed(i.to_string()));
                }
                Ok(vec![V::CharityItemListed {
                    item: i.clone(),
                    name: name.clone(),
                    price: *price,
                }])
            }
            C::PreSell { item: i, on, .. } => match item(i)? {
                ItemStatus::PreSold => Err(E::ItemAlreadyPreSold(i.to_string())),
                _ => Ok(vec![V::CharityItemPreSold {
                    item: i.clone(),
                    on: *on,
                }]),
            },
            C::Sell {
                item: i, price, on, ..
            } => {
                item(i)?;
                Ok(vec![V::CharityItemSold {
                    item: i.clone(),
                    price: *price,
                    on: *on,
                }])
            }
            C::Withdraw { item: i, .. } => {
                item(i)?;
                Ok(vec![V::CharityItemWithdrawn { item: i.clone() }])
            }
        }
    }

    fn happened(event: &CharityEvent) -> Option<Happened> {
        use CharityEvent as E;
        match event {
            E::CharitySaleOpened { opened_on, .. } => Some(Happened::On(*opened_on)),
            E::CharityItemPreSold { on, .. } | E::CharityItemSold { on, .. } => {
                Some(Happened::On(*on))
            }
            E::CharityItemListed { .. } | E::CharityItemWithdrawn { .. } => None,
        }
    }

    fn evolve(mut state: CharityState, event: &CharityEvent) -> CharityState {
        use CharityEvent as V;
        match event {
            V::CharitySaleOpened { community, .. } => state.community = Some(community.clone()),
            V::CharityItemListed { item, .. } => {
                state.items.insert(item.clone(), ItemStatus::Listed);
            }
            V::CharityItemPreSold { item, .. } => {
                state.items.insert(item.clone(), ItemStatus::PreSold);
            }
            V::CharityItemSold { item, .. } => {
                state.items.insert(item.clone(), ItemStatus::Sold);
            }
            V::CharityItemWithdrawn { item } => {
                state.items.insert(item.clone(), ItemStatus::Withdrawn);
            }
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::given;
    use time::macros::date;

    fn sale() -> SaleId {
        SaleId::parse("painting-hall-2023").unwrap()
    }
    fn fan() -> ItemId {
        ItemId::parse("peony-fan").unwrap()
    }
    /// The sale opened, with the fan listed.
    fn listed() -> [CharityCommand; 2] {
        [
            CharityCommand::Open {
                id: sale(),
                community: CommunityId::parse("hemei").unwrap(),
                title: Name::parse("t", "书绘堂作品义卖").unwrap(),
                purposes: vec![Name::parse("p", "构建爱心机制").unwrap()],
                opened_on: date!(2023 - 09 - 20),
            },
            CharityCommand::ListItem {
                id: sale(),
                item: fan(),
                name: Name::parse("n", "手绘牡丹团扇").unwrap(),
                price: Fen::parse("price", 3000).unwrap(),
            },
        ]
    }
    fn sell() -> CharityCommand {
        CharityCommand::Sell {
            id: sale(),
            item: fan(),
            price: Fen::parse("price", 3000).unwrap(),
            on: date!(2023 - 09 - 21),
        }
    }
    fn pre_sell() -> CharityCommand {
        CharityCommand::PreSell {
            id: sale(),
            item: fan(),
            on: date!(2023 - 09 - 20),
        }
    }

    #[test]
    fn a_v1_opening_with_one_purpose_reads_as_a_list_of_one() {
        let v1 = serde_json::json!({
            "id": "painting-hall-2023", "community": "hemei", "title": "书绘堂作品义卖",
            "purpose": "构建爱心机制", "opened_on": "2023-09-20"
        });
        let event = CharityEvent::decode("CharitySaleOpened", 1, &v1).unwrap();
        assert_eq!(
            CharityEvent::decode_text("CharitySaleOpened", 1, &v1.to_string()),
            Ok(event.clone())
        );
        let (t, v2) = event.encode();
        assert_eq!(
            CharityEvent::decode_text(&t, 2, &v2.to_string()),
            Ok(event.clone())
        );
        let CharityEvent::CharitySaleOpened {
            purposes,
            community,
            ..
        } = &event
        else {
            panic!("{event:?}");
        };
        assert_eq!(purposes, &[Name::parse("p", "构建爱心机制").unwrap()]);
        assert_eq!(community.as_str(), "hemei");
        assert_eq!(event.schema_version(), 2);
        let broken = serde_json::json!({ "id": "s", "community": "hemei", "title": "t", "opened_on": "2023-09-20" });
        assert!(matches!(
            CharityEvent::decode("CharitySaleOpened", 1, &broken),
            Err(UpcastError::BadPayload { .. })
        ));
        assert!(matches!(
            CharityEvent::decode_text("CharitySaleOpened", 1, &broken.to_string()),
            Err(UpcastError::BadPayload { .. })
        ));
        assert!(matches!(
            CharityEvent::decode_text("CharitySaleOpened", 3, &v1.to_string()),
            Err(UpcastError::UnknownVersion { .. })
        ));
    }

    #[test]
    fn a_sale_names_one_to_five_purposes() {
        let open = |n: usize| CharityCommand::Open {
            id: sale(),
            community: CommunityId::parse("hemei").unwrap(),
            title: Name::parse("t", "义卖").unwrap(),
            purposes: vec![Name::parse("p", "开启预售").unwrap(); n],
            opened_on: date!(2023 - 09 - 20),
        };
        given::<Charity>([])
            .when(open(0))
            .then_rejected(CharityError::Purposes);
        given::<Charity>([])
            .when(open(6))
            .then_rejected(CharityError::Purposes);
        given::<Charity>([])
            .when(open(5))
            .then_events(|events| assert_eq!(events.len(), 1));
    }

    #[test]
    fn an_item_sold_twice_is_rejected() {
        given::<Charity>(listed().into_iter().chain([sell()]))
            .when(sell())
            .then_rejected(CharityError::ItemAlreadySold("peony-fan".into()));
    }

    #[test]
    fn a_pre_sold_item_can_then_be_sold() {
        given::<Charity>(listed().into_iter().chain([pre_sell()]))
            .when(sell())
            .then_events(|events| assert_eq!(events.len(), 1));
    }

    #[test]
    fn selling_a_withdrawn_item_is_rejected() {
        let withdraw = CharityCommand::Withdraw {
            id: sale(),
            item: fan(),
        };
        given::<Charity>(listed().into_iter().chain([withdraw]))
            .when(sell())
            .then_rejected(CharityError::ItemWithdrawn("peony-fan".into()));
    }

    #[test]
    fn selling_an_unlisted_item_is_rejected() {
        given::<Charity>(listed())
            .when(CharityCommand::Sell {
                id: sale(),
                item: ItemId::parse("bag").unwrap(),
                price: Fen::parse("p", 1).unwrap(),
                on: date!(2023 - 09 - 21),
            })
            .then_rejected(CharityError::ItemNotListed("bag".into()));
    }

    #[test]
    fn pre_selling_twice_is_rejected() {
        given::<Charity>(listed().into_iter().chain([pre_sell()]))
            .when(pre_sell())
            .then_rejected(CharityError::ItemAlreadyPreSold("peony-fan".into()));
    }
}
