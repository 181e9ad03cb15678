//! The checks a request passes before it is answered, in the service's order: the signature (v1, or v3 when an
//! `ACS3-…` `Authorization` header comes), the action and its version, the timestamp and the nonce; then the
//! method and the parameters against the action's table (`validate.rs`).

use std::collections::HashSet;
use std::sync::Mutex;

use crate::codes::Code;
use crate::config::{ServerConfig, MAX_CLOCK_SKEW_SECS};
use crate::fault::Fault;
use crate::fault::{invalid_parameter, missing_parameter};
use crate::request::RecordedRequest;
use crate::shared::lock;
use crate::{sig, validate};

/// What the checks read: the configuration, the server's clock and the nonces seen so far.
pub(crate) struct Gate<'a> {
    /// The keys and actions the server knows, and whether it is strict.
    pub config: &'a ServerConfig,
    /// The server's clock (Unix seconds, its offset applied).
    pub now_secs: i64,
    /// Every nonce accepted so far.
    pub nonces: &'a Mutex<HashSet<String>>,
}

/// A request that passed every check.
pub(crate) struct Admitted {
    /// The action.
    pub action: String,
    /// The parameters the action does not have (recorded, as the service ignores them).
    pub unknown: Vec<String>,
}

impl Gate<'_> {
    /// Checks a request as the service does; the action and the unknown parameters, or the fault.
    pub(crate) fn admit(&self, request: &RecordedRequest, body: &[u8]) -> Result<Admitted, Fault> {
        let action = match request.header("authorization") {
            Some(authorization) => self.verify_v3(request, &authorization, body)?,
            None => self.verify_v1(request)?,
        };
        let unknown = self.check_parameters(&action, request)?;
        Ok(Admitted { action, unknown })
    }

    /// The action (known, of its version).
    fn check_action(&self, action: &str, version: Option<&str>) -> Result<(), Fault> {
        let Some(info) = self.config.actions.get(action) else {
            return Err(Code::UnsupportedOperation.fault());
        };
        if version != Some(info.version.as_str()) {
            return Err(Code::NoSuchVersion.fault());
        }
        Ok(())
    }

    /// The timestamp (well-formed, near the server's clock) and the nonce (never used): `timestamp_name` and
    /// `nonce_name` are where the request carries them (a parameter for v1, a header for v3).
    fn check_time_and_nonce(
        &self,
        (timestamp_name, timestamp): (&str, &str),
        (nonce_name, nonce): (&str, &str),
    ) -> Result<(), Fault> {
        let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        let Ok(at) = time::PrimitiveDateTime::parse(timestamp, format) else {
            return Err(invalid_parameter(
                timestamp_name,
                format!("{timestamp:?} is not in the format YYYY-MM-DDThh:mm:ssZ"),
            ));
        };
        if (at.assume_utc().unix_timestamp() - self.now_secs).abs() > MAX_CLOCK_SKEW_SECS {
            return Err(Code::InvalidTimeStampExpired.fault());
        }
        if !lock(self.nonces).insert(nonce.to_owned()) {
            return Err(invalid_parameter(
                nonce_name,
                format!("the nonce {nonce:?} was used already (each request needs its own)"),
            ));
        }
        Ok(())
    }

    /// Signature v3 (`ACS3-HMAC-SHA256`): every problem is answered with what is wrong.
    fn verify_v3(&self, request: &RecordedRequest, authorization: &str, body: &[u8]) -> Result<String, Fault> {
        let auth = sig::parse_v3_authorization(authorization).map_err(|why| {
            invalid_parameter(
                "Authorization",
                format!("it is not ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…: {why}"),
            )
        })?;
        if auth.algorithm != "ACS3-HMAC-SHA256" {
            return Err(invalid_parameter(
                "Authorization",
                format!(
                    "the signature algorithm {:?} is not supported by this server; sign with ACS3-HMAC-SHA256",
                    auth.algorithm
                ),
            ));
        }
        for name in V3_REQUIRED_HEADERS {
            if request.header(name).is_none_or(|value| value.trim().is_empty()) {
                return Err(Code::MissingParameter.fault_with(format!(
                    "The header \"{name}\" that is mandatory for processing this request is not supplied."
                )));
            }
        }
        let signed: Vec<&str> = auth.signed_headers.iter().map(String::as_str).collect();
        let must_sign = V3_REQUIRED_HEADERS
            .iter()
            .copied()
            .chain(request.header("x-acs-security-token").map(|_| "x-acs-security-token"));
        for name in must_sign {
            if !signed.contains(&name) {
                return Err(invalid_parameter(
                    "Authorization",
                    format!("the header {name} must be signed (it is not in SignedHeaders)"),
                ));
            }
        }
        let declared = request.header("x-acs-content-sha256").unwrap_or_default();
        let actual = sig::sha256_hex(body);
        if !declared.eq_ignore_ascii_case(&actual) {
            return Err(invalid_parameter(
                "x-acs-content-sha256",
                format!("{declared} is not the body's SHA-256, {actual}"),
            ));
        }
        let action = request.header("x-acs-action").unwrap_or_default();
        self.check_action(&action, request.header("x-acs-version").as_deref())?;
        let Some(secret) = self.config.keys.get(&auth.credential) else {
            return Err(Code::InvalidAccessKeyIdNotFound.fault());
        };
        let canonical = sig::v3_canonical_request(
            &request.method,
            &request.path,
            &request.query,
            &request.headers,
            &signed,
            &declared,
        );
        let string_to_sign = sig::v3_string_to_sign(&canonical);
        if sig::v3_signature(secret, &string_to_sign) != auth.signature {
            return Err(signature_mismatch(&string_to_sign));
        }
        self.check_time_and_nonce(
            ("x-acs-date", &request.header("x-acs-date").unwrap_or_default()),
            (
                "x-acs-signature-nonce",
                &request.header("x-acs-signature-nonce").unwrap_or_default(),
            ),
        )?;
        Ok(action)
    }

    /// Signature v1 (§3.5): common parameters among the query and body parameters.
    fn verify_v1(&self, request: &RecordedRequest) -> Result<String, Fault> {
        let mut all: Vec<(String, String)> = Vec::new();
        for (name, value) in request.query.iter().chain(&request.body) {
            if all.iter().any(|(seen, _)| seen == name) {
                return Err(invalid_parameter(name, "it is given twice"));
            }
            all.push((name.clone(), value.clone()));
        }
        let get = |wanted: &str| {
            all.iter()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.as_str())
        };
        for name in V1_REQUIRED_PARAMS {
            if get(name).is_none_or(str::is_empty) {
                return Err(missing_parameter(name));
            }
        }
        let action = get("Action").unwrap_or_default().to_owned();
        self.check_action(&action, get("Version"))?;
        if get("SignatureMethod") != Some("HMAC-SHA1") {
            return Err(invalid_parameter("SignatureMethod", "it must be HMAC-SHA1"));
        }
        if get("SignatureVersion") != Some("1.0") {
            return Err(invalid_parameter("SignatureVersion", "it must be 1.0"));
        }
        if let Some(format) = get("Format") {
            if !format.eq_ignore_ascii_case("JSON") {
                return Err(invalid_parameter("Format", "this server answers JSON only"));
            }
        }
        let Some(secret) = self.config.keys.get(get("AccessKeyId").unwrap_or_default()) else {
            return Err(Code::InvalidAccessKeyIdNotFound.fault());
        };
        let unsigned: Vec<(String, String)> = all.iter().filter(|(name, _)| name != "Signature").cloned().collect();
        let string_to_sign = sig::string_to_sign(&request.method, &unsigned);
        if get("Signature") != Some(sig::signature(secret, &string_to_sign).as_str()) {
            return Err(signature_mismatch(&string_to_sign));
        }
        self.check_time_and_nonce(
            ("Timestamp", get("Timestamp").unwrap_or_default()),
            ("SignatureNonce", get("SignatureNonce").unwrap_or_default()),
        )?;
        Ok(action)
    }

    /// The method and the parameters against the action's table; the names the action does not have.
    fn check_parameters(&self, action: &str, request: &RecordedRequest) -> Result<Vec<String>, Fault> {
        let Some(spec) = self.config.actions.get(action).and_then(|info| info.spec) else {
            return Ok(Vec::new());
        };
        validate::check_method(spec, &request.method)?;
        let unknown = validate::check_params(spec, &request.params())?;
        if self.config.strict && !unknown.is_empty() {
            return Err(Code::InvalidParameter.fault_with(validate::unknown_message(spec, &unknown)));
        }
        Ok(unknown)
    }
}

/// The common parameters a v1 request must carry.
const V1_REQUIRED_PARAMS: [&str; 8] = [
    "Action",
    "Version",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
];

/// The headers a v3 request must carry, each signed.
const V3_REQUIRED_HEADERS: &[&str] = &[
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// `SignatureDoesNotMatch`, with the server's string to sign (the SDK shows it beside its own).
fn signature_mismatch(string_to_sign: &str) -> Fault {
    Code::SignatureDoesNotMatch.fault_with(format!(
        "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
    ))
}
