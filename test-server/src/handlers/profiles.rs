//! Registrant profiles (information templates): saved, deleted (not while a domain uses one), the default, the
//! filtered list, and the real-name verification that registration needs, decided in the fake's time.

use serde_json::{json, Value};

use super::real_name::inspect_image;
use super::{Answer, Params, Request};
use crate::account::{format_date, Account, Profile};
use crate::codes::Code;
use crate::fault::invalid_parameter;

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
    let id = request.params.int("RegistrantProfileID").unwrap_or_default();
    let status = account.existing_profile(id)?.real_name_status.clone();
    if status == "SUCCEED" || status == "AUDITING" {
        return Err(Code::ContactTemplateAudited.fault());
    }
    if let Some(problem) = inspect_image(&request.params.text("IdentityCredential"))? {
        return Err(problem.code().fault());
    }
    let now = account.now;
    for profile in account.profiles.iter_mut().filter(|profile| profile.id == id) {
        profile.real_name_status = "AUDITING".into();
        profile.real_name_submitted = Some(now);
        profile.real_name_reads = 0;
    }
    Ok(json!({}))
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
