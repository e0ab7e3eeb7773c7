//! Money as integer minor units plus an ISO 4217 code; never floats.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Error;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Amount in minor units (cents), by the currency's exponent.
    pub minor: i64,
    pub currency: String,
}

/// Currency symbols people type, and the code each one means.
const SYMBOLS: &[(&str, &str)] = &[("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR")];

/// The ISO 4217 code `text` names (any case), if it is a currency money can
/// be counted in: one with minor units (not gold, nor `XXX`).
pub fn currency(text: &str) -> Result<String, Error> {
    let code = text.trim().to_ascii_uppercase();
    match iso_currency::Currency::from_code(&code) {
        Some(found) if found.exponent().is_some() => Ok(found.code().to_string()),
        Some(_) => Err(Error::new(
            format!("'{code}' has no minor units to count money in"),
            "use a currency code such as USD, EUR or JPY",
        )),
        None => Err(Error::new(
            format!("'{code}' is not an ISO 4217 currency code"),
            "use a currency code such as USD, EUR or JPY",
        )),
    }
}

pub fn is_currency_code(code: &str) -> bool {
    currency(code).is_ok_and(|known| known == code)
}

/// The currency's ISO 4217 minor units (decimals): JPY 0, EUR 2, BHD 3.
fn exponent(currency: &str) -> u32 {
    iso_currency::Currency::from_code(currency).and_then(|c| c.exponent()).map(u32::from).unwrap_or(2)
}

impl Money {
    /// Parses `49`, `49.99EUR`, `49.99 eur`, `EUR 49.99`, `$49`, `€12.50`.
    pub fn parse(text: &str, default_currency: &str) -> Result<Money, Error> {
        let invalid = || {
            Error::new(
                format!("invalid price '{text}'"),
                "write an amount with an optional currency: 49, 49.99EUR, \"$49\"",
            )
        };
        let mut rest = text.trim();
        let mut currency: Option<String> = None;
        for (symbol, code) in SYMBOLS {
            if let Some(stripped) = rest.strip_prefix(symbol) {
                rest = stripped.trim();
                currency = Some((*code).to_string());
            }
        }
        let letters_at = |s: &str, from_end: bool| -> Option<(String, String)> {
            let letters: String = if from_end {
                s.chars().rev().take_while(|c| c.is_ascii_alphabetic()).collect::<Vec<_>>().into_iter().rev().collect()
            } else {
                s.chars().take_while(|c| c.is_ascii_alphabetic()).collect()
            };
            if letters.is_empty() {
                return None;
            }
            let remainder = if from_end { &s[..s.len() - letters.len()] } else { &s[letters.len()..] };
            Some((letters, remainder.trim().to_string()))
        };
        let mut number = rest.to_string();
        if currency.is_none()
            && let Some((code, remainder)) = letters_at(rest, true).or_else(|| letters_at(rest, false))
        {
            currency = Some(code.to_ascii_uppercase());
            number = remainder;
        }
        let code = currency.unwrap_or_else(|| default_currency.to_ascii_uppercase());
        if !code.chars().all(|c| c.is_ascii_alphabetic()) || !number.chars().any(|c| c.is_ascii_digit()) {
            return Err(invalid());
        }
        let currency = self::currency(&code).map_err(|err| Error {
            message: format!("invalid price '{text}': {}", err.message.trim_start_matches("invalid ")),
            ..err
        })?;
        let decimals = exponent(&currency);
        if let Some((_, fraction)) = number.split_once('.')
            && fraction.len() > decimals as usize
            && fraction.chars().all(|c| c.is_ascii_digit())
        {
            let places = match decimals {
                0 => "no decimals".to_string(),
                1 => "1 decimal".to_string(),
                n => format!("{n} decimals"),
            };
            return Err(Error::new(
                format!("invalid price '{text}': {currency} has {places}"),
                format!("round it to {places}"),
            ));
        }
        let minor = parse_decimal(&number, decimals).ok_or_else(invalid)?;
        if minor < 0 {
            return Err(Error::new(format!("invalid price '{text}': it is negative"), "a price is 0 or more"));
        }
        Ok(Money { minor, currency })
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }
}

/// `12.5` with exponent 2 → 1250; at most `exponent` decimals.
fn parse_decimal(text: &str, exponent: u32) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > exponent as usize {
        return None;
    }
    let scale = 10i64.checked_pow(exponent)?;
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let padded = format!("{fraction:0<width$}", width = exponent as usize);
    let fraction: i64 = if padded.is_empty() { 0 } else { padded.parse().ok()? };
    let value = whole.checked_mul(scale)?.checked_add(fraction)?;
    Some(if negative { -value } else { value })
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exp = exponent(&self.currency);
        if exp == 0 {
            return write!(f, "{} {}", self.minor, self.currency);
        }
        let scale = 10i64.pow(exp);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.abs();
        write!(f, "{sign}{}.{:0width$} {}", abs / scale, abs % scale, self.currency, width = exp as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_forms() {
        assert_eq!(Money::parse("49", "USD").unwrap(), Money { minor: 4900, currency: "USD".into() });
        assert_eq!(Money::parse("49.99EUR", "USD").unwrap(), Money { minor: 4999, currency: "EUR".into() });
        assert_eq!(Money::parse("$49", "EUR").unwrap(), Money { minor: 4900, currency: "USD".into() });
        assert_eq!(Money::parse("EUR 12.5", "USD").unwrap(), Money { minor: 1250, currency: "EUR".into() });
        assert_eq!(Money::parse("5000JPY", "USD").unwrap(), Money { minor: 5000, currency: "JPY".into() });
        assert_eq!(Money::parse("0", "USD").unwrap().minor, 0);
    }

    #[test]
    fn each_currency_has_its_own_minor_units() {
        assert_eq!(Money::parse("1.5BHD", "USD").unwrap(), Money { minor: 1500, currency: "BHD".into() });
        assert_eq!(Money::parse("1JPY", "USD").unwrap(), Money { minor: 1, currency: "JPY".into() });
        assert_eq!(Money::parse("1.5 bhd", "USD").unwrap().to_string(), "1.500 BHD");
        let err = Money::parse("1.234USD", "USD").unwrap_err();
        assert!(err.message.contains("USD has 2 decimals"), "{}", err.message);
        let err = Money::parse("1.5JPY", "USD").unwrap_err();
        assert!(err.message.contains("JPY has no decimals"), "{}", err.message);
    }

    #[test]
    fn only_iso_4217_codes() {
        let err = Money::parse("10XYZ", "USD").unwrap_err();
        assert!(err.message.contains("'XYZ' is not an ISO 4217 currency code"), "{}", err.message);
        assert!(Money::parse("10XAU", "USD").is_err());
        assert!(Money::parse("10", "XYZ").is_err());
        assert_eq!(currency("eur").unwrap(), "EUR");
        assert!(is_currency_code("CHF"));
        assert!(!is_currency_code("ABC"));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["abc", "", "12.345", "1.2.3", "-5", "$", "12 EURO", "1e5"] {
            assert!(Money::parse(bad, "USD").is_err(), "{bad}");
        }
    }

    #[test]
    fn displays_with_the_currency_exponent() {
        assert_eq!(Money { minor: 4999, currency: "EUR".into() }.to_string(), "49.99 EUR");
        assert_eq!(Money { minor: 5000, currency: "JPY".into() }.to_string(), "5000 JPY");
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(text in "\\PC{0,16}") {
            let _ = Money::parse(&text, "USD");
        }

        #[test]
        fn displayed_amounts_parse_back(minor in 0i64..1_000_000_000, code in "(USD|EUR|JPY|GBP|BHD|KWD|CLF)") {
            let money = Money { minor, currency: code };
            let text = money.to_string();
            proptest::prop_assert_eq!(Money::parse(&text, "USD").unwrap(), money);
        }
    }
}
