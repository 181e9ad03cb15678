//! A domain's real-name verification (by a registrant profile, or by an identity credential): `AUDITING` at
//! once, then `SUCCEED` or `FAILED` when its task ends; the failure reasons and the credential kept. Also the
//! checks of an identity credential image that the profile's verification shares.

use base64::Engine as _;
use serde_json::{json, Value};

use super::transfers::details_of;
use super::{task_on_domains, Answer, Request};
use crate::account::{format_date, Account, DetailStatus, Effect, RealNameVerification};
use crate::codes::Code;
use crate::fault::Fault;

/// The smallest credential image the reference accepts (§4.3: 55 KB to 1 MB, JPG or BMP).
pub(crate) const MIN_IMAGE_BYTES: usize = 55 * 1024;
/// The largest.
pub(crate) const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// What is wrong with a credential image that decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ImageProblem {
    /// Neither a JPG nor a BMP.
    Format,
    /// Under 55 KB.
    TooSmall,
    /// Over 1 MB.
    TooLarge,
}

impl ImageProblem {
    /// The code the profile's verification refuses it with.
    pub fn code(self) -> Code {
        match self {
            ImageProblem::Format => Code::FileFormatNotSupported,
            ImageProblem::TooSmall => Code::FileSizeLessThanMinLimit,
            ImageProblem::TooLarge => Code::FileSizeGreaterThanMaxLimit,
        }
    }
}

/// Checks a Base64 credential image: `Err` when it is not Base64 (`FileDataError`); otherwise what is wrong with
/// it, if anything.
pub(super) fn inspect_image(encoded: &str) -> Result<Option<ImageProblem>, Fault> {
    let image = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| Code::FileDataError.fault())?;
    let jpeg = image.starts_with(&[0xFF, 0xD8, 0xFF]);
    let bitmap = image.starts_with(b"BM");
    Ok(if !jpeg && !bitmap {
        Some(ImageProblem::Format)
    } else if image.len() < MIN_IMAGE_BYTES {
        Some(ImageProblem::TooSmall)
    } else if image.len() > MAX_IMAGE_BYTES {
        Some(ImageProblem::TooLarge)
    } else {
        None
    })
}

/// `SaveTaskForSubmittingDomainRealNameVerificationByRegistrantProfileID`: the profile must be the account's
/// (`ContactTemplateNotExist`), the domain not verified or under review already (`DomainAlreadyAudited`,
/// `DomainAlreadyAuditing`); the profile must be verified by the time the task ends.
pub(super) fn submit_by_profile(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let id = params.int("RegistrantProfileId").unwrap_or_default();
    account.existing_profile(id)?;
    let name = match params.str("InstanceId") {
        Some(instance) => account.existing_instance(instance)?.name.clone(),
        None => params.text("DomainName"),
    };
    match account.existing_domain(&name)?.real_name_status.as_str() {
        "SUCCEED" => return Err(Code::DomainAlreadyAudited.fault()),
        "AUDITING" => return Err(Code::DomainAlreadyAuditing.fault()),
        _ => {}
    }
    let submission = RealNameVerification {
        profile_id: Some(id),
        submitted: account.now,
        ..RealNameVerification::default()
    };
    let mut answer = audit(account, request, vec![name], submission)?;
    answer["Success"] = json!(true);
    Ok(answer)
}

/// `SaveTaskForSubmittingDomainRealNameVerificationByIdentityCredential`: the credential must be Base64
/// (`FileDataError`); an image outside the reference's rules makes the verification fail with the reason its
/// example gives (§5.18).
pub(super) fn submit_by_credential(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let credential = params.text("IdentityCredential");
    let problem = inspect_image(&credential)?;
    let submission = RealNameVerification {
        credential_type: params.text("IdentityCredentialType"),
        credential_no: params.text("IdentityCredentialNo"),
        credential,
        profile_id: None,
        submitted: account.now,
        updated: 0,
        refusal: problem.map(|_| IMAGE_REFUSED.to_owned()),
    };
    audit(account, request, params.list("DomainName"), submission)
}

/// The reason a domain's verification fails for an image outside the rules (§5.18's example, in English).
const IMAGE_REFUSED: &str = "Please upload a JPG or BMP image of 55 KB to 1 MB.";

/// A real-name verification task over `names` (each must exist): `AUDITING` at once, the outcome when it ends.
fn audit(account: &mut Account, request: &Request<'_>, names: Vec<String>, submission: RealNameVerification) -> Answer {
    let effect = |_: &str| Effect::VerifyRealName {
        submission: Box::new(submission.clone()),
    };
    let answer = task_on_domains(account, request, "DOMAIN_AUDIT", names.clone(), effect)?;
    for domain in account
        .domains
        .iter_mut()
        .filter(|domain| names.iter().any(|name| name.eq_ignore_ascii_case(&domain.name)))
    {
        domain.real_name_status = "AUDITING".into();
    }
    Ok(answer)
}

/// `QueryDomainRealNameVerificationInfo`: the credential of the latest successful verification.
pub(super) fn query_info(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account.existing_domain(&request.params.text("DomainName"))?;
    let verification = domain.real_name_verification.clone().unwrap_or_default();
    let image = if request.params.bool("FetchImage") == Some(true) {
        verification.credential.clone()
    } else {
        String::new()
    };
    let submitted = if verification.submitted == 0 {
        String::new()
    } else {
        format_date(verification.submitted)
    };
    Ok(json!({
        "DomainName": domain.name,
        "InstanceId": domain.instance_id,
        "IdentityCredentialType": verification.credential_type,
        "IdentityCredentialNo": verification.credential_no,
        "IdentityCredential": image,
        "IdentityCredentialUrl": "",
        "SubmissionDate": submitted,
    }))
}

/// `QueryFailReasonForDomainRealNameVerification`: the failed verifications of the domain, newest first.
pub(super) fn fail_reasons(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainName");
    let records: Vec<Value> = details_of(account, &name)
        .filter(|(_, detail)| matches!(detail.effect, Effect::VerifyRealName { .. }))
        .filter_map(|(_, detail)| match &detail.status {
            DetailStatus::Failed { reason, .. } => Some(json!({
                "Date": format_date(detail.updated),
                "DomainNameVerificationStatus": "FAILED",
                "FailReason": reason,
            })),
            _ => None,
        })
        .collect();
    Ok(json!({ "Data": { "FailRecord": records } }))
}
