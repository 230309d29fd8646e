//! Card payments (DESIGN.md §2, "Payments"): the payment state machine, how an acquirer's answer
//! is read, what happens to a booking when money arrives, the callback checksum's canonical
//! string, and the rules of the built-in sandbox acquirer (test cards, one-time code).
//!
//! The acquirer protocol is the REST protocol the region's banks expose (`register.do`,
//! `getOrderStatusExtended.do`, `refund.do`, a signed callback). Nothing here is specific to one
//! bank; amounts travel in the minor unit (teňňe) with the ISO 4217 numeric currency 934.

use crate::booking::BookingStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// ISO 4217 numeric code of the Turkmen manat, as the acquirer protocol wants it.
pub const CURRENCY_TMT_NUMERIC: u16 = 934;

/// Where a payment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Created with the booking; not yet registered with the acquirer.
    New,
    /// Registered; the citizen is on (or left) the card page.
    Pending,
    /// The acquirer deposited the money.
    Paid,
    /// The card was declined, the code was wrong, or the card page timed out.
    Declined,
    /// Money arrived for a seat that could not be kept (or was cancelled): to be refunded.
    RefundPending,
    /// The money went back to the card.
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 6] = [
        PaymentStatus::New,
        PaymentStatus::Pending,
        PaymentStatus::Paid,
        PaymentStatus::Declined,
        PaymentStatus::RefundPending,
        PaymentStatus::Refunded,
    ];

    /// The snake_case code, as on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            PaymentStatus::New => "new",
            PaymentStatus::Pending => "pending",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Declined => "declined",
            PaymentStatus::RefundPending => "refund_pending",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn parse(code: &str) -> Option<PaymentStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the acquirer may still change its mind about this payment.
    pub fn is_open(self) -> bool {
        matches!(self, PaymentStatus::New | PaymentStatus::Pending)
    }

    /// The transitions the state machine allows. A declined payment may still turn out paid: a
    /// bank can deposit after its card page timed out, and money is never ignored.
    pub fn can_become(self, next: PaymentStatus) -> bool {
        use PaymentStatus::*;
        matches!(
            (self, next),
            (New, Pending)
                | (New, Declined)
                | (Pending, Paid)
                | (Pending, Declined)
                | (Declined, Paid)
                | (Paid, RefundPending)
                | (RefundPending, Refunded)
        )
    }
}

/// What an acquirer's order status says, read the strict way: paid only when `errorCode` is 0
/// and `orderStatus` is 2 (deposited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderOutcome {
    /// Deposited: the money is taken.
    Paid,
    /// Declined, reversed or timed out: no money was taken.
    Declined,
    /// Registered, pre-authorised or in 3-D Secure: ask again later.
    Pending,
    /// Refunded (fully).
    Refunded,
    /// The answer says nothing usable (an error code, an unknown order status).
    Unknown,
}

/// Reads `errorCode` and `orderStatus` of a `getOrderStatusExtended.do` answer.
pub fn order_outcome(error_code: &str, order_status: Option<i64>) -> OrderOutcome {
    if error_code.trim() != "0" {
        return OrderOutcome::Unknown;
    }
    match order_status {
        Some(2) => OrderOutcome::Paid,
        Some(3) | Some(6) => OrderOutcome::Declined,
        Some(0) | Some(1) | Some(5) => OrderOutcome::Pending,
        Some(4) => OrderOutcome::Refunded,
        _ => OrderOutcome::Unknown,
    }
}

/// What to do with a booking when its payment is found paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidSettlement {
    /// The seat is still held: confirm the booking.
    Confirm,
    /// The hold lapsed and the seat was released: take it again if it is still free, else
    /// refund.
    RetakeSeatOrRefund,
    /// The booking is cancelled, already paid by another attempt, or over: refund.
    Refund,
}

/// Money is never kept without a seat: the decision for a booking in `status` whose payment has
/// just been deposited.
pub fn settle_paid(status: BookingStatus) -> PaidSettlement {
    match status {
        BookingStatus::Held => PaidSettlement::Confirm,
        BookingStatus::Expired => PaidSettlement::RetakeSeatOrRefund,
        _ => PaidSettlement::Refund,
    }
}

/// The string the callback checksum is computed over: every parameter except `checksum` and
/// `sign_alias`, sorted by name, as `name;value;` pairs (the acquirer protocol's rule).
pub fn callback_signing_string(params: &BTreeMap<String, String>) -> String {
    params
        .iter()
        .filter(|(k, _)| k.as_str() != "checksum" && k.as_str() != "sign_alias")
        .fold(String::new(), |mut out, (k, v)| {
            out.push_str(k);
            out.push(';');
            out.push_str(v);
            out.push(';');
            out
        })
}

/// The digits of a card number typed with spaces or dashes, if that is all it contains.
pub fn card_digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// The Luhn check every card number passes.
pub fn luhn_valid(digits: &str) -> bool {
    if !(12..=19).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 {
                    d2 - 9
                } else {
                    d2
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// A card number as it may be stored and shown: the first six and the last four digits.
pub fn mask_pan(digits: &str) -> String {
    if digits.len() < 10 {
        return "*".repeat(digits.len());
    }
    format!(
        "{}{}{}",
        &digits[..6],
        "*".repeat(digits.len() - 10),
        &digits[digits.len() - 4..]
    )
}

/// A card expiry `MM/YY` (or `MMYY`, `MM/YYYY`) that has not passed in `today`'s month.
pub fn expiry_valid(typed: &str, today: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    let (month, year) = match digits.len() {
        4 => (
            digits[..2].parse::<u32>(),
            digits[2..].parse::<i32>().map(|y| 2000 + y),
        ),
        6 => (digits[..2].parse::<u32>(), digits[2..].parse::<i32>()),
        _ => return false,
    };
    let (Ok(month), Ok(year)) = (month, year) else {
        return false;
    };
    (1..=12).contains(&month) && (year, month) >= (today.year(), today.month())
}

/// The sandbox acquirer's test cards and one-time code (the same numbers the real banks' test
/// environments use).
pub mod sandbox {
    /// The one-time code the sandbox's "SMS" always carries.
    pub const ONE_TIME_CODE: &str = "000000";
    /// Wrong codes allowed before the payment fails.
    pub const CODE_TRIES: u8 = 3;

    /// What the sandbox does with a card.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum CardBehaviour {
        /// Asks for the one-time code, then deposits.
        Approves,
        /// Declined by the issuer ("do not honour").
        Declined,
        /// Declined: not enough money on the card.
        InsufficientFunds,
    }

    impl CardBehaviour {
        /// The acquirer's `actionCode` for a decline, and its description.
        pub fn action_code(self) -> (i64, &'static str) {
            match self {
                CardBehaviour::Approves => (0, "Approved"),
                CardBehaviour::Declined => (5, "Declined by the issuer"),
                CardBehaviour::InsufficientFunds => (116, "Insufficient funds"),
            }
        }
    }

    /// The behaviour of a Luhn-valid card number; unknown cards are declined, so nothing but the
    /// documented test cards ever "pays" in the sandbox.
    pub fn behaviour(digits: &str) -> CardBehaviour {
        match digits {
            "4111111111111111" => CardBehaviour::Approves,
            "4000000000009995" => CardBehaviour::InsufficientFunds,
            _ => CardBehaviour::Declined,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_allowed_transitions_exist() {
        for s in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(s.code()), Some(s));
            assert!(!s.can_become(s), "{s:?} -> itself");
        }
        assert!(PaymentStatus::Pending.can_become(PaymentStatus::Paid));
        assert!(PaymentStatus::Declined.can_become(PaymentStatus::Paid));
        assert!(!PaymentStatus::Paid.can_become(PaymentStatus::Declined));
        assert!(!PaymentStatus::Refunded.can_become(PaymentStatus::Paid));
        assert!(!PaymentStatus::New.can_become(PaymentStatus::Paid));
        let allowed = PaymentStatus::ALL
            .iter()
            .flat_map(|a| PaymentStatus::ALL.iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.can_become(**b))
            .count();
        assert_eq!(allowed, 7);
    }

    #[test]
    fn paid_only_on_error_code_zero_and_order_status_two() {
        assert_eq!(order_outcome("0", Some(2)), OrderOutcome::Paid);
        assert_eq!(order_outcome("5", Some(2)), OrderOutcome::Unknown);
        assert_eq!(order_outcome("0", Some(6)), OrderOutcome::Declined);
        assert_eq!(order_outcome("0", Some(3)), OrderOutcome::Declined);
        assert_eq!(order_outcome("0", Some(0)), OrderOutcome::Pending);
        assert_eq!(order_outcome("0", Some(4)), OrderOutcome::Refunded);
        assert_eq!(order_outcome("0", None), OrderOutcome::Unknown);
        assert_eq!(order_outcome("0", Some(9)), OrderOutcome::Unknown);
    }

    #[test]
    fn money_never_stays_without_a_seat() {
        assert_eq!(settle_paid(BookingStatus::Held), PaidSettlement::Confirm);
        assert_eq!(
            settle_paid(BookingStatus::Expired),
            PaidSettlement::RetakeSeatOrRefund
        );
        for s in BookingStatus::ALL {
            if !matches!(s, BookingStatus::Held | BookingStatus::Expired) {
                assert_eq!(settle_paid(s), PaidSettlement::Refund, "{s:?}");
            }
        }
    }

    #[test]
    fn signing_string_is_sorted_and_skips_the_checksum() {
        let params: BTreeMap<String, String> = [
            ("orderNumber", "AG7-1"),
            ("mdOrder", "abc"),
            ("status", "1"),
            ("operation", "deposited"),
            ("checksum", "FFFF"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            callback_signing_string(&params),
            "mdOrder;abc;operation;deposited;orderNumber;AG7-1;status;1;"
        );
    }

    #[test]
    fn luhn_and_masking() {
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("4000000000000002"));
        assert!(luhn_valid("4000000000009995"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("41111"));
        assert!(!luhn_valid("41111111111111a1"));
        assert_eq!(
            card_digits("4111 1111-1111 1111").as_deref(),
            Some("4111111111111111")
        );
        assert_eq!(card_digits("4111 x"), None);
        assert_eq!(card_digits(""), None);
        assert_eq!(mask_pan("4111111111111111"), "411111******1111");
        assert_eq!(mask_pan("123"), "***");
    }

    #[test]
    fn expiry_must_not_have_passed() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
        assert!(expiry_valid("12/30", today));
        assert!(expiry_valid("11/26", today));
        assert!(!expiry_valid("10/26", today));
        assert!(!expiry_valid("13/30", today));
        assert!(expiry_valid("12/2030", today));
        assert!(!expiry_valid("1230x0", today));
        assert!(!expiry_valid("", today));
    }

    #[test]
    fn sandbox_test_cards() {
        use sandbox::{behaviour, CardBehaviour};
        assert_eq!(behaviour("4111111111111111"), CardBehaviour::Approves);
        assert_eq!(behaviour("4000000000000002"), CardBehaviour::Declined);
        assert_eq!(
            behaviour("4000000000009995"),
            CardBehaviour::InsufficientFunds
        );
        assert_eq!(behaviour("5555555555554444"), CardBehaviour::Declined);
        assert_eq!(CardBehaviour::InsufficientFunds.action_code().0, 116);
    }
}
