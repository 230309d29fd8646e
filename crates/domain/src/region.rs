//! The regions a citizen's registered address belongs to: two cities with velayat status and
//! five velayats.

use crate::Localized;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Ashgabat,
    Arkadag,
    Ahal,
    Balkan,
    Dashoguz,
    Lebap,
    Mary,
}

impl Region {
    pub const ALL: [Region; 7] = [
        Region::Ashgabat,
        Region::Arkadag,
        Region::Ahal,
        Region::Balkan,
        Region::Dashoguz,
        Region::Lebap,
        Region::Mary,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Region::Ashgabat => "ashgabat",
            Region::Arkadag => "arkadag",
            Region::Ahal => "ahal",
            Region::Balkan => "balkan",
            Region::Dashoguz => "dashoguz",
            Region::Lebap => "lebap",
            Region::Mary => "mary",
        }
    }

    pub fn parse(code: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    pub fn name(self) -> Localized {
        let (tk, ru, en) = match self {
            Region::Ashgabat => ("Aşgabat şäheri", "город Ашхабад", "Aşgabat city"),
            Region::Arkadag => ("Arkadag şäheri", "город Аркадаг", "Arkadag city"),
            Region::Ahal => ("Ahal welaýaty", "Ахалский велаят", "Ahal velayat"),
            Region::Balkan => ("Balkan welaýaty", "Балканский велаят", "Balkan velayat"),
            Region::Dashoguz => ("Daşoguz welaýaty", "Дашогузский велаят", "Daşoguz velayat"),
            Region::Lebap => ("Lebap welaýaty", "Лебапский велаят", "Lebap velayat"),
            Region::Mary => ("Mary welaýaty", "Марыйский велаят", "Mary velayat"),
        };
        Localized::new(tk, ru, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for region in Region::ALL {
            assert_eq!(Region::parse(region.code()), Some(region));
            let json = serde_json::to_string(&region).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", region.code()));
        }
        assert_eq!(Region::parse("moscow"), None);
    }
}
