//! The qualification review of `.餐厅` (restaurant) and `.商标` (trademark) domains: its detail (read in the
//! fake's time, which decides a review under way), its failures, canceling and resetting it, and the policy for
//! uploading its files. The material itself is submitted outside the API ([`Account::submit_qualification`]).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha1::Sha1;

use super::{Answer, Request};
use crate::account::{format_date, review_mut, review_of, Account, Millis, QualificationStatus};
use crate::fault::{invalid_parameter, Fault};

/// How long an upload policy is valid: the reference's example expires 300 s after the moment its key prefix
/// names (`…/1593688511883`, `Expire` 1593688811881).
const UPLOAD_POLICY_LIFETIME: Millis = 300 * 1000;
/// The largest file an upload policy allows, as the example's policy says (`content-length-range` 0 to 50 MB).
const UPLOAD_MAX_BYTES: u64 = 50 * 1024 * 1024;
/// Where the fake says files go: a host that never resolves, as the fake stores no file.
const UPLOAD_HOST: &str = "https://qualification-review.oss.invalid";

/// The index of the domain of the request's `InstanceId` (`DomainNotExist` when the account has none).
fn domain_index(account: &Account, request: &Request<'_>) -> Result<usize, Fault> {
    let instance = request.params.text("InstanceId");
    account.existing_instance(&instance)?;
    Ok(account
        .domains
        .iter()
        .position(|domain| domain.instance_id == instance)
        .unwrap_or_default())
}

/// `QueryQualificationDetail`: where the domain's review stands, its material and tracking number. A read of a
/// review under way counts towards its decision (polls timing).
pub(super) fn detail(account: &mut Account, request: &Request<'_>) -> Answer {
    let index = domain_index(account, request)?;
    review_of(&account.domains[index])?;
    account.observe_qualification(index);
    let review = review_of(&account.domains[index])?;
    let credentials: Vec<Value> = review
        .credentials
        .iter()
        .map(|credential| {
            json!({
                "CredentialType": credential.credential_type,
                "CredentialNo": credential.credential_no,
                "CredentialUrl": credential.credential_url,
            })
        })
        .collect();
    Ok(json!({
        "AuditStatus": review.status.code(),
        "Credentials": credentials,
        "TrackId": review.track_id,
    }))
}

/// `QueryFailingReasonListForQualification`: the domain's failed reviews, newest first, at most `Limit` (which
/// must be at least 1).
pub(super) fn failing_reasons(account: &mut Account, request: &Request<'_>) -> Answer {
    let index = domain_index(account, request)?;
    let limit = request.params.int("Limit").unwrap_or_default();
    if limit < 1 {
        return Err(invalid_parameter(
            "Limit",
            format!("{limit} is not a number of records"),
        ));
    }
    let review = review_of(&account.domains[index])?;
    let records: Vec<Value> = review
        .failures
        .iter()
        .rev()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|record| json!({ "Date": format_date(record.date), "FailReason": record.reason }))
        .collect();
    Ok(json!({ "Data": records }))
}

/// `CancelQualificationVerification`: a review under way is canceled (`7`); any other is refused as an invalid
/// `InstanceId` (the reference is silent; the stricter reading: there is nothing to cancel).
pub(super) fn cancel(account: &mut Account, request: &Request<'_>) -> Answer {
    let index = domain_index(account, request)?;
    let domain = &mut account.domains[index];
    let name = domain.name.clone();
    let review = review_mut(domain)?;
    if review.status != QualificationStatus::Auditing {
        return Err(invalid_parameter(
            "InstanceId",
            format!(
                "the qualification review of {name} is {:?}, not under way",
                review.status
            ),
        ));
    }
    review.status = QualificationStatus::Cancelled;
    review.submitted = None;
    review.reads = 0;
    Ok(json!({}))
}

/// `ResetQualificationVerification`: the review waits for material again (`0`), its material and tracking
/// number cleared, its failures kept. A review under way (cancel it first) or passed is refused as an invalid
/// `InstanceId` (the reference is silent; the stricter reading).
pub(super) fn reset(account: &mut Account, request: &Request<'_>) -> Answer {
    let index = domain_index(account, request)?;
    let domain = &mut account.domains[index];
    let name = domain.name.clone();
    let review = review_mut(domain)?;
    if matches!(
        review.status,
        QualificationStatus::Auditing | QualificationStatus::Succeeded
    ) {
        return Err(invalid_parameter(
            "InstanceId",
            format!(
                "the qualification review of {name} is {:?}: it cannot be reset",
                review.status
            ),
        ));
    }
    review.status = QualificationStatus::PendingInformation;
    review.credentials.clear();
    review.track_id.clear();
    review.submitted = None;
    review.reads = 0;
    review.refusal = None;
    Ok(json!({}))
}

/// `GetQualificationUploadPolicy`: a policy for uploading review files under a new directory, valid for five
/// minutes of the fake's clock, in the form of the reference's example (a Base64 policy document, its
/// HMAC-SHA1 signature, the directory and the key prefix).
pub(super) fn upload_policy(account: &mut Account, _request: &Request<'_>) -> Answer {
    let expire = account.now.saturating_add(UPLOAD_POLICY_LIFETIME);
    let date = format_date(account.now).get(..10).unwrap_or_default().replace('-', "");
    let dir = format!("{date}/{}", account.uuid());
    let expiration = time::OffsetDateTime::from_unix_timestamp(expire.div_euclid(1000))
        .ok()
        .and_then(|moment| {
            moment
                .format(time::macros::format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second]"
                ))
                .ok()
        })
        .unwrap_or_default();
    let document = json!({
        "expiration": format!("{expiration}.{:03}Z", expire.rem_euclid(1000)),
        "conditions": [["content-length-range", 0, UPLOAD_MAX_BYTES], ["starts-with", "$key", dir]],
    });
    let engine = base64::engine::general_purpose::STANDARD;
    let policy = engine.encode(document.to_string());
    let mut mac = Hmac::<Sha1>::new_from_slice(crate::TEST_KEY_SECRET.as_bytes()).expect("any key length");
    mac.update(policy.as_bytes());
    Ok(json!({
        "Policy": policy,
        "Expire": expire.to_string(),
        "Accessid": crate::TEST_KEY_ID,
        "Signature": engine.encode(mac.finalize().into_bytes()),
        "Host": UPLOAD_HOST,
        "Prefix": format!("{dir}_${{filename}}"),
        "Dir": dir,
    }))
}
