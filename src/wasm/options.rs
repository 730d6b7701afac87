//! Reading option objects that come from JavaScript, with errors that name the offending field.
//!
//! Plain `Reflect` reads instead of serde: the messages are clearer and the wasm is smaller.

use wasm_bindgen::{JsCast, JsValue};

use crate::config::PoolConfig;
use crate::error::{Error, Result, UsageCode};

/// A JavaScript object passed as options or input; `undefined`/`null` read as an empty object.
pub(crate) struct JsObject<'a> {
    what: &'a str,
    value: JsValue,
}

fn invalid(message: String) -> Error {
    Error::usage(UsageCode::InvalidArgument, message)
}

impl<'a> JsObject<'a> {
    /// `what` names the argument in messages, e.g. `"signIn input"`.
    pub(crate) fn new(what: &'a str, value: JsValue) -> Result<Self> {
        if value.is_undefined() || value.is_null() || value.is_object() {
            Ok(Self { what, value })
        } else {
            Err(invalid(format!("{what} must be an object")))
        }
    }

    pub(crate) fn get(&self, name: &str) -> JsValue {
        if self.value.is_object() {
            js_sys::Reflect::get(&self.value, &JsValue::from_str(name))
                .unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    }

    fn absent(value: &JsValue) -> bool {
        value.is_undefined() || value.is_null()
    }

    pub(crate) fn optional_string(&self, name: &str) -> Result<Option<String>> {
        let value = self.get(name);
        if Self::absent(&value) {
            return Ok(None);
        }
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| invalid(format!("{}.{name} must be a string", self.what)))
    }

    pub(crate) fn string(&self, name: &str) -> Result<String> {
        match self.optional_string(name)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(invalid(format!("{}.{name} is required", self.what))),
        }
    }

    pub(crate) fn optional_number(&self, name: &str) -> Result<Option<f64>> {
        let value = self.get(name);
        if Self::absent(&value) {
            return Ok(None);
        }
        match value.as_f64() {
            Some(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(invalid(format!(
                "{}.{name} must be a finite number",
                self.what
            ))),
        }
    }

    pub(crate) fn optional_bool(&self, name: &str) -> Result<Option<bool>> {
        let value = self.get(name);
        if Self::absent(&value) {
            return Ok(None);
        }
        value
            .as_bool()
            .map(Some)
            .ok_or_else(|| invalid(format!("{}.{name} must be a boolean", self.what)))
    }

    /// A string or an array of strings.
    pub(crate) fn optional_string_list(&self, name: &str) -> Result<Option<Vec<String>>> {
        let value = self.get(name);
        if Self::absent(&value) {
            return Ok(None);
        }
        if let Some(one) = value.as_string() {
            return Ok(Some(vec![one]));
        }
        let not_list = || {
            invalid(format!(
                "{}.{name} must be a string or an array of strings",
                self.what
            ))
        };
        let array: &js_sys::Array = value.dyn_ref().ok_or_else(not_list)?;
        // Loops rather than `collect::<Result<_>>()` here and below: less wasm.
        let mut list = Vec::new();
        for item in array.iter() {
            list.push(item.as_string().ok_or_else(not_list)?);
        }
        Ok(Some(list))
    }

    /// A plain object of string values, e.g. user attributes, in the object's key order.
    pub(crate) fn optional_string_map(&self, name: &str) -> Result<Vec<(String, String)>> {
        let value = self.get(name);
        if Self::absent(&value) {
            return Ok(Vec::new());
        }
        let not_map = || {
            invalid(format!(
                "{}.{name} must be an object of string values",
                self.what
            ))
        };
        let object: &js_sys::Object = value.dyn_ref().ok_or_else(not_map)?;
        let mut pairs = Vec::new();
        for entry in js_sys::Object::entries(object).iter() {
            let pair = js_sys::Array::from(&entry);
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(k), Some(v)) => pairs.push((k, v)),
                _ => return Err(not_map()),
            }
        }
        Ok(pairs)
    }
}

/// Turns a JSON document made by the core into a plain JavaScript value.
pub(crate) fn json_to_js(json: &str) -> Result<JsValue> {
    js_sys::JSON::parse(json).map_err(|_| Error::protocol("internal JSON could not be read back"))
}

/// Serialises a JavaScript value (e.g. a JWKS object given by the caller) to JSON text.
pub(crate) fn js_to_json(value: &JsValue, what: &str) -> Result<String> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid(format!("{what} must be a JSON-serialisable object")))
}

/// The pool settings `CognitoAuth` and `verifyToken` share: `userPoolId`, `clientId`, `endpoint`, `issuer`,
/// `jwksUrl` and `clockSkewSeconds`. A value of the wrong type is `InvalidArgument`, one `PoolConfig` refuses
/// is `InvalidConfig` (the constructor makes them all `InvalidConfig`).
pub(crate) fn pool_config(options: &JsObject<'_>) -> Result<PoolConfig> {
    let mut config = PoolConfig::new(options.string("userPoolId")?, options.string("clientId")?)?;
    if let Some(endpoint) = options.optional_string("endpoint")? {
        config = config.with_endpoint(endpoint)?;
    }
    if let Some(issuers) = options.optional_string_list("issuer")? {
        config = config.with_issuers(issuers)?;
    }
    if let Some(url) = options.optional_string("jwksUrl")? {
        config = config.with_jwks_url(url)?;
    }
    if let Some(skew) = options.optional_number("clockSkewSeconds")? {
        config = config.with_clock_skew_secs(whole_seconds(skew, "clockSkewSeconds")?)?;
    }
    Ok(config)
}

/// A JavaScript number of seconds that must be whole and not negative.
fn whole_seconds(value: f64, name: &str) -> Result<u64> {
    if value >= 0.0 && value.fract() == 0.0 && value <= u32::MAX as f64 {
        Ok(value as u64)
    } else {
        Err(invalid(format!(
            "{name} must be a whole number of seconds, 0 or more"
        )))
    }
}
