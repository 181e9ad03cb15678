//! Registrant profiles (information templates, in the 2016 API contact templates): saved, deleted (not while a
//! domain uses one), the default, the filtered list, and the real-name verification that registration needs:
//! its material submitted (three actions), shown, and decided in the fake's time, with the reasons of a refusal.

use serde_json::{json, Value};

use super::real_name::inspect_image;
use super::{Answer, Params, Request};
use crate::account::{format_date, Account, Profile, RealNameVerification};
use crate::fault::{invalid_parameter, missing_parameter, Fault};

/// `SaveRegistrantProfile`: a new profile, or the named one updated (`ContactTemplateNotExist` if unknown).
pub(super) fn save(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let now = account.now;
    let id = match params.int("RegistrantProfileId") {
        Some(id) => account.existing_profile(id)?.id,
        None => {
            let id = account.profile_id();
            account.profiles.push(Profile {
                id,
                created: now,
                ..Profile::default()
            });
            id
        }
    };
    let make_default = params.bool("DefaultRegistrantProfile") == Some(true);
    for profile in &mut account.profiles {
        if make_default {
            profile.default = profile.id == id;
        }
        if profile.id == id {
            if let Some(kind) = params.str("RegistrantProfileType") {
                profile.profile_type = kind.to_owned();
            }
            fill_contact(profile, params);
        }
    }
    Ok(json!({ "RegistrantProfileId": id }))
}

/// The contact details the request gives (`RegistrantName`, `Email`, `Country`, …), over those `profile` has.
pub(super) fn fill_contact(profile: &mut Profile, params: &Params<'_>) {
    let fields = [
        (&mut profile.registrant_type, "RegistrantType"),
        (&mut profile.registrant_name, "RegistrantName"),
        (&mut profile.registrant_organization, "RegistrantOrganization"),
        (&mut profile.zh_registrant_name, "ZhRegistrantName"),
        (&mut profile.zh_registrant_organization, "ZhRegistrantOrganization"),
        (&mut profile.email, "Email"),
        (&mut profile.country, "Country"),
        (&mut profile.province, "Province"),
        (&mut profile.city, "City"),
        (&mut profile.address, "Address"),
        (&mut profile.postal_code, "PostalCode"),
        (&mut profile.tel_area, "TelArea"),
        (&mut profile.telephone, "Telephone"),
    ];
    for (field, name) in fields {
        if let Some(value) = params.str(name) {
            *field = value.to_owned();
        }
    }
}

/// `DeleteRegistrantProfile`. A profile a domain of the account uses is refused as an invalid value (the
/// reference is silent; the fake takes the stricter reading).
pub(super) fn delete(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.int("RegistrantProfileId").unwrap_or_default();
    account.existing_profile(id)?;
    if let Some(domain) = account
        .domains
        .iter()
        .find(|domain| domain.registrant_profile_id == Some(id))
    {
        return Err(invalid_parameter(
            "RegistrantProfileId",
            format!("the registrant profile {id} is used by {}", domain.name),
        ));
    }
    account.profiles.retain(|profile| profile.id != id);
    Ok(json!({}))
}

/// `SetDefaultRegistrantProfile`.
pub(super) fn set_default(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.int("RegistrantProfileId").unwrap_or_default();
    account.existing_profile(id)?;
    for profile in &mut account.profiles {
        profile.default = profile.id == id;
    }
    Ok(json!({}))
}

/// `RegistrantProfileRealNameVerification`: the profile goes under review (`AUDITING`); the review is decided
/// in the fake's time (see [`crate::TaskTiming`]). Refused for an unknown profile (`ContactTemplateNotExist`),
/// one verified or under review (`ContactTemplateAudited`), and a credential image that is not Base64, not a
/// JPG or BMP, or outside 55 KB to 1 MB (§4.3; `FileDataError`, `FileFormatNotSupported`,
/// `FileSizeLessThanMinLimit`, `FileSizeGreaterThanMaxLimit`).
pub(super) fn submit_real_name(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let id = params.int("RegistrantProfileID").unwrap_or_default();
    account.profile_open_to_material(id)?;
    let material = checked_material(
        params,
        "IdentityCredential",
        Some("IdentityCredentialType"),
        "IdentityCredentialNo",
    )?;
    account.submit_profile_material(id, material);
    Ok(json!({}))
}

/// `SaveContactTemplateCredential` (API 2016-05-11, where registrant profiles are contact templates): the same
/// submission as `RegistrantProfileRealNameVerification`, with no credential type, and the same refusals (its
/// page documents each of them).
pub(super) fn submit_template_credential(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let id = params.int("ContactTemplateId").unwrap_or_default();
    account.profile_open_to_material(id)?;
    let material = checked_material(params, "Credential", None, "CredentialNo")?;
    account.submit_profile_material(id, material);
    Ok(json!({}))
}

/// The holder fields `SaveRegistrantProfileRealNameVerification` takes for a new profile only (§4.9: each "is
/// available, and required, only when RegistrantProfileId is not passed"); the first eleven are required then,
/// the Chinese ones, which §4.9 says apply to the China site only, are not.
const NEW_PROFILE_FIELDS: [&str; 16] = [
    "RegistrantType",
    "RegistrantName",
    "RegistrantOrganization",
    "Country",
    "Province",
    "City",
    "Address",
    "PostalCode",
    "Email",
    "Telephone",
    "TelExt",
    "ZhRegistrantName",
    "ZhRegistrantOrganization",
    "ZhProvince",
    "ZhCity",
    "ZhAddress",
];
/// How many of [`NEW_PROFILE_FIELDS`] a new profile must have.
const REQUIRED_NEW_PROFILE_FIELDS: usize = 11;

/// `SaveRegistrantProfileRealNameVerification`: real-name material for the profile named (refused as
/// `RegistrantProfileRealNameVerification` refuses it, and a holder field beside `RegistrantProfileId` as an
/// invalid parameter), or a new profile made of the holder fields (each required, `MissingParameter`) and
/// submitted at once. The credential's type, number and image are required (the stricter reading of an action
/// that saves them) and checked as §4.3 checks them.
pub(super) fn save_real_name(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let existing = params.int("RegistrantProfileId");
    match existing {
        Some(id) => {
            account.profile_open_to_material(id)?;
            if let Some(field) = NEW_PROFILE_FIELDS.iter().find(|field| params.str(field).is_some()) {
                return Err(invalid_parameter(
                    field,
                    "it is taken only when RegistrantProfileId is not given",
                ));
            }
        }
        None => {
            let required = &NEW_PROFILE_FIELDS[..REQUIRED_NEW_PROFILE_FIELDS];
            if let Some(field) = required.iter().find(|field| params.str(field).is_none()) {
                return Err(missing_parameter(field));
            }
        }
    }
    let material = checked_material(
        params,
        "IdentityCredential",
        Some("IdentityCredentialType"),
        "IdentityCredentialNo",
    )?;
    let id = match existing {
        Some(id) => id,
        None => {
            let mut profile = Profile {
                id: account.profile_id(),
                created: account.now,
                ..Profile::default()
            };
            if let Some(kind) = params.str("RegistrantProfileType") {
                profile.profile_type = kind.to_owned();
            }
            fill_contact(&mut profile, params);
            let id = profile.id;
            account.profiles.push(profile);
            id
        }
    };
    account.submit_profile_material(id, material);
    Ok(json!({ "RegistrantProfileId": id }))
}

/// The real-name material of a request: the image (parameter `image`) Base64, a JPG or BMP of 55 KB to 1 MB, and
/// the credential's number and type (when the action has one), each required.
fn checked_material(
    params: &Params<'_>,
    image: &str,
    kind: Option<&str>,
    number: &str,
) -> Result<RealNameVerification, Fault> {
    for name in [Some(image), kind, Some(number)].into_iter().flatten() {
        if params.str(name).is_none() {
            return Err(missing_parameter(name));
        }
    }
    let credential = params.text(image);
    if let Some(problem) = inspect_image(&credential)? {
        return Err(problem.code().fault());
    }
    Ok(RealNameVerification {
        credential_type: kind.map(|kind| params.text(kind)).unwrap_or_default(),
        credential_no: params.text(number),
        credential,
        ..RealNameVerification::default()
    })
}

/// `QueryRegistrantProfileRealNameVerificationInfo`: the profile's real-name material (its credential's type and
/// number, when it was first submitted and last replaced; the image as sent with `FetchImage=true`); only the
/// profile's id when it has none. The fake keeps no image file, so there is no `IdentityCredentialUrl`.
pub(super) fn real_name_info(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.int("RegistrantProfileId").unwrap_or_default();
    let profile = account.existing_profile(id)?;
    let mut answer = json!({ "RegistrantProfileId": profile.id });
    if let Some(material) = &profile.real_name_material {
        if !material.credential_type.is_empty() {
            answer["IdentityCredentialType"] = json!(material.credential_type);
        }
        answer["IdentityCredentialNo"] = json!(material.credential_no);
        answer["SubmissionDate"] = json!(format_date(material.submitted));
        answer["ModificationDate"] = json!(format_date(material.updated.max(material.submitted)));
        if request.params.bool("FetchImage") == Some(true) {
            answer["IdentityCredential"] = json!(material.credential);
        }
    }
    Ok(answer)
}

/// `QueryFailReasonForRegistrantProfileRealNameVerification`: the profile's refused audits, newest first.
pub(super) fn real_name_fail_reasons(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.int("RegistrantProfileID").unwrap_or_default();
    let profile = account.existing_profile(id)?;
    let records: Vec<Value> = profile
        .real_name_failures
        .iter()
        .rev()
        .map(|record| json!({ "Date": format_date(record.date), "FailReason": record.reason }))
        .collect();
    Ok(json!({ "Data": records }))
}

/// `QueryRegistrantProfiles`: the filtered profiles, a page of them. Listing a profile under review counts as a
/// read of its audit (decided on the read the polls timing says).
pub(super) fn list(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let id = params.int("RegistrantProfileId");
    let default = params.bool("DefaultRegistrantProfile");
    let listed: Vec<usize> = (0..account.profiles.len())
        .filter(|&index| {
            let profile = &account.profiles[index];
            id.is_none_or(|id| profile.id == id) && default.is_none_or(|default| profile.default == default)
        })
        .collect();
    for &index in &listed {
        account.observe_profile(index);
    }
    let filters = [
        ("RegistrantType", params.text("RegistrantType")),
        ("Email", params.text("Email")),
        ("RealNameStatus", params.text("RealNameStatus")),
        ("RegistrantProfileType", params.text("RegistrantProfileType")),
        ("RegistrantOrganization", params.text("RegistrantOrganization")),
    ];
    let items: Vec<Value> = listed
        .into_iter()
        .map(|index| profile_json(account, &account.profiles[index]))
        .filter(|item| {
            filters
                .iter()
                .all(|(key, wanted)| wanted.is_empty() || item[key].as_str() == Some(wanted))
        })
        .collect();
    let mut answer = params.page().wrapped(items, "RegistrantProfile");
    let data = answer["Data"].take();
    if let Some(fields) = answer.as_object_mut() {
        fields.remove("Data");
        fields.insert("RegistrantProfiles".into(), data);
    }
    Ok(answer)
}

fn profile_json(account: &Account, profile: &Profile) -> Value {
    let verified = profile.email_verified
        || account
            .email_verifications
            .iter()
            .any(|verification| verification.verified && verification.email.eq_ignore_ascii_case(&profile.email));
    json!({
        "RegistrantProfileId": profile.id,
        "RegistrantProfileType": profile.profile_type,
        "RegistrantType": profile.registrant_type,
        "DefaultRegistrantProfile": profile.default,
        "RegistrantName": profile.registrant_name,
        "RegistrantOrganization": profile.registrant_organization,
        "ZhRegistrantName": profile.zh_registrant_name,
        "ZhRegistrantOrganization": profile.zh_registrant_organization,
        "Email": profile.email,
        "EmailVerificationStatus": i32::from(verified),
        "Country": profile.country,
        "Province": profile.province,
        "City": profile.city,
        "Address": profile.address,
        "PostalCode": profile.postal_code,
        "TelArea": profile.tel_area,
        "Telephone": profile.telephone,
        "RealNameStatus": profile.real_name_status,
        "CreateTime": format_date(profile.created),
        "UpdateTime": format_date(profile.created),
    })
}
