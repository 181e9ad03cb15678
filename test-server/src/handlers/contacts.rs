//! A domain's contacts: the registrant (a holder change, `CHG_HOLDER`) or the admin, billing or tech contact,
//! changed to a profile's details or to details given in full, as a task; and `QueryContactInfo`.

use serde_json::json;

use super::profiles::fill_contact;
use super::{task_on_domains, Answer, Request};
use crate::account::{format_date, Account, Effect, Profile};

/// `SaveSingleTaskForUpdatingContactInfo`, `SaveBatchTaskForUpdatingContactInfoByNewContact`,
/// `SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId` and
/// `SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID`. A new registrant taken from a profile must be a
/// real-name-verified profile of the account (`contactTemplateRealNamedNotExist`, as the last action documents;
/// the fake asks it of every holder change by profile, the stricter reading); another contact's profile must
/// only exist (`ContactTemplateNotExist`).
pub(super) fn update(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let (contact_type, transfer_lock) = match request.action {
        "SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID" => (
            "registrant".to_owned(),
            params.bool("TransferOutProhibited") == Some(true),
        ),
        "SaveSingleTaskForUpdatingContactInfo" => {
            (params.text("ContactType"), params.bool("AddTransferLock") == Some(true))
        }
        _ => (
            params.text("ContactType"),
            params.bool("TransferOutProhibited") == Some(true),
        ),
    };
    let task_type = match contact_type.as_str() {
        "registrant" => "CHG_HOLDER",
        "admin" => "UPDATE_ADMIN_CONTACT",
        "billing" => "UPDATE_BILLING_CONTACT",
        _ => "UPDATE_TECH_CONTACT",
    };
    let contact = match params.int("RegistrantProfileId") {
        Some(id) if contact_type == "registrant" => account.verified_profile(id)?.clone(),
        Some(id) => account.existing_profile(id)?.clone(),
        None => {
            let mut contact = Profile::default();
            fill_contact(&mut contact, params);
            contact
        }
    };
    let effect = |_: &str| Effect::UpdateContact {
        contact_type: contact_type.clone(),
        contact: Box::new(contact.clone()),
        transfer_lock,
    };
    task_on_domains(account, request, task_type, params.domain_names(), effect)
}

/// `QueryContactInfo`: the registrant's details (its profile's, when it has one), for every contact type.
pub(super) fn query(account: &mut Account, request: &Request<'_>) -> Answer {
    let domain = account.existing_domain(&request.params.text("DomainName"))?;
    let profile = domain
        .registrant_profile_id
        .and_then(|id| account.profiles.iter().find(|profile| profile.id == id))
        .cloned()
        .unwrap_or_default();
    Ok(json!({
        "RegistrantName": domain.registrant_name,
        "RegistrantOrganization": domain.registrant_organization,
        "Email": domain.email,
        "ZhRegistrantName": profile.zh_registrant_name,
        "ZhRegistrantOrganization": profile.zh_registrant_organization,
        "Country": profile.country,
        "Province": profile.province,
        "ZhProvince": profile.province,
        "City": profile.city,
        "ZhCity": profile.city,
        "Address": profile.address,
        "ZhAddress": profile.address,
        "PostalCode": profile.postal_code,
        "TelArea": profile.tel_area,
        "Telephone": profile.telephone,
        "TelExt": "",
        "CreateDate": format_date(domain.registration_date),
    }))
}
