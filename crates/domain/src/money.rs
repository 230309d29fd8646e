//! Money in Turkmen manat: integer teňňe (1 manat = 100 teňňe), currency TMT (ISO 4217 934).

use serde::{Deserialize, Serialize};

/// An amount of money. Only TMT exists in Nobat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"amount_minor": 6000, "currency": "TMT"})))]
pub struct Money {
    /// In teňňe (hundredths of a manat).
    pub amount_minor: i64,
    /// Always `TMT`.
    pub currency: Currency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    #[serde(rename = "TMT")]
    Tmt,
}

impl Currency {
    /// ISO 4217 numeric code, as acquirers want it.
    pub const fn numeric(self) -> u16 {
        934
    }
}

impl Money {
    pub const fn tmt(amount_minor: i64) -> Money {
        Money {
            amount_minor,
            currency: Currency::Tmt,
        }
    }

    pub const ZERO: Money = Money::tmt(0);

    /// As Turkmen citizens read it: `1 234,50 TMT` (thin grouping by spaces, decimal comma).
    pub fn display(self) -> String {
        let sign = if self.amount_minor < 0 { "-" } else { "" };
        let minor = self.amount_minor.unsigned_abs();
        let whole = (minor / 100).to_string();
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(' ');
            }
            grouped.push(digit);
        }
        format!("{sign}{grouped},{:02} TMT", minor % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn displays_like_turkmen_prices() {
        assert_eq!(Money::tmt(6000).display(), "60,00 TMT");
        assert_eq!(Money::tmt(123450).display(), "1 234,50 TMT");
        assert_eq!(Money::tmt(5).display(), "0,05 TMT");
        assert_eq!(Money::tmt(100_000_000).display(), "1 000 000,00 TMT");
        assert_eq!(Money::tmt(-250).display(), "-2,50 TMT");
    }

    #[test]
    fn serializes_minor_units_and_code() {
        let json = serde_json::to_value(Money::tmt(6000)).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"amount_minor": 6000, "currency": "TMT"})
        );
    }

    proptest! {
        #[test]
        fn display_keeps_every_digit(amount in 0i64..10_000_000_000) {
            let shown = Money::tmt(amount).display();
            let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
            let expected = amount.to_string();
            prop_assert_eq!(digits.trim_start_matches('0'), expected.trim_start_matches('0'));
        }
    }
}
