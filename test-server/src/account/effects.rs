//! What a task detail does to the account when it ends: its effect is applied, or it fails with the reason the
//! detail's `ErrorMsg` gives (a lock, a name taken or not registered, a wrong authorization code, no ENS address
//! to remove, …).

use super::{Account, DnsHost, Domain, DsRecord, Effect, Millis, TaskDetail, YEAR};

/// Why a detail failed: its `ErrorMsg`.
type Reason = String;

impl Account {
    /// Applies a detail's effect; a new domain's instance id, or why it cannot be applied.
    pub(super) fn apply(&mut self, detail: &TaskDetail) -> Result<Option<String>, Reason> {
        match &detail.effect {
            Effect::Add {
                domain,
                years,
                transfer_in,
            } => self.add_domain(domain, *years, *transfer_in).map(Some),
            Effect::None => Ok(None),
            Effect::VerifyRealName { submission } => {
                if let Some(reason) = &submission.refusal {
                    return Err(reason.clone());
                }
                if let Some(id) = submission.profile_id {
                    let status = self
                        .profiles
                        .iter()
                        .find(|profile| profile.id == id)
                        .map_or("NONE", |profile| profile.real_name_status.as_str());
                    if status != "SUCCEED" {
                        return Err(format!(
                            "The registrant profile's real-name verification is {status}, not SUCCEED."
                        ));
                    }
                }
                let domain = self.domain_to_change(&detail.domain)?;
                domain.real_name_status = "SUCCEED".into();
                domain.real_name_verification = Some((**submission).clone());
                Ok(None)
            }
            effect => {
                let now = self.now;
                let removed = self.change_domain(&detail.domain, effect, now)?;
                if removed {
                    self.domains
                        .retain(|domain| !domain.name.eq_ignore_ascii_case(&detail.domain));
                }
                Ok(None)
            }
        }
    }

    fn domain_to_change(&mut self, name: &str) -> Result<&mut Domain, Reason> {
        self.domains
            .iter_mut()
            .find(|domain| domain.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| "The domain name does not exist.".to_owned())
    }

    /// A registration or a transfer in ends: the domain joins the account.
    fn add_domain(&mut self, new: &Domain, years: i32, transfer_in: bool) -> Result<String, Reason> {
        if self.domain(&new.name).is_some() {
            return Err("The domain name is already in your account.".into());
        }
        let taken = self.taken.iter().position(|name| name.eq_ignore_ascii_case(&new.name));
        match (taken, transfer_in) {
            (Some(_), false) => return Err("The domain name is already registered.".into()),
            (None, true) => return Err("The domain name is not registered, so it cannot be transferred in.".into()),
            (Some(at), true) => {
                self.taken.remove(at);
            }
            (None, false) => {}
        }
        let mut domain = new.clone();
        if domain.instance_id.is_empty() {
            domain.instance_id = self.instance_id();
        }
        domain.registration_date = self.now;
        domain.expiration_date = self.now.saturating_add(Millis::from(years).saturating_mul(YEAR));
        let instance_id = domain.instance_id.clone();
        self.domains.push(domain);
        Ok(instance_id)
    }

    /// Any other effect on a domain of the account; whether the domain leaves the account.
    fn change_domain(&mut self, name: &str, effect: &Effect, now: Millis) -> Result<bool, Reason> {
        let domain = self.domain_to_change(name)?;
        let changes_the_domain = matches!(
            effect,
            Effect::SetDns { .. }
                | Effect::AddDnsHost { .. }
                | Effect::PutDnsHost { .. }
                | Effect::DeleteDnsHost { .. }
                | Effect::AddDsRecord { .. }
                | Effect::PutDsRecord { .. }
                | Effect::DeleteDsRecord { .. }
                | Effect::Privacy { .. }
                | Effect::UpdateContact { .. }
                | Effect::AssociateEns { .. }
                | Effect::DisassociateEns
        );
        if changes_the_domain && (domain.update_prohibition_lock || domain.registry_lock) {
            return Err("The domain name is locked against updates.".into());
        }
        let transfer_locked = domain.transfer_prohibition_lock || domain.registry_lock;
        match effect {
            Effect::Renew { years } => {
                if domain.status(now) == "2" {
                    return Err("The domain name is past its renewal period and must be redeemed.".into());
                }
                domain.expiration_date = domain
                    .expiration_date
                    .saturating_add(Millis::from(*years).saturating_mul(YEAR));
            }
            Effect::Redeem => {
                if domain.status(now) != "2" {
                    return Err("The domain name does not need a redemption.".into());
                }
                domain.expiration_date = now.saturating_add(YEAR);
            }
            Effect::Delete => return Ok(true),
            Effect::IssueTransferCode => {
                if transfer_locked {
                    return Err("The domain name is locked against transfers.".into());
                }
                let code = format!("Ac{:08}!x", domain.instance_id.len() * 7919 + domain.name.len());
                domain.transfer_out_code = Some(code);
            }
            Effect::CancelTransferOut => domain.transfer_out_code = None,
            Effect::TransferOut { code } => {
                if transfer_locked {
                    return Err("The domain name is locked against transfers.".into());
                }
                if domain.transfer_out_code.as_deref() != Some(code.as_str()) {
                    return Err("The transfer authorization code is not the domain's.".into());
                }
                return Ok(true);
            }
            Effect::SetDns { servers, aliyun } => {
                domain.aliyun_dns = *aliyun;
                domain.dns = if *aliyun && servers.is_empty() {
                    Domain::default().dns
                } else {
                    servers.clone()
                };
            }
            Effect::UpdateLock { on } => domain.update_prohibition_lock = *on,
            Effect::TransferLock { on } => domain.transfer_prohibition_lock = *on,
            Effect::Privacy { on } => domain.privacy_proxy = *on,
            Effect::AddDnsHost { host } => {
                if find_host(&domain.dns_hosts, &host.name).is_some() {
                    return Err(format!("The DNS host {} exists already.", host.name));
                }
                domain.dns_hosts.push(host.clone());
            }
            Effect::PutDnsHost { host } => {
                let at = find_host(&domain.dns_hosts, &host.name)
                    .ok_or_else(|| format!("The DNS host {} does not exist.", host.name))?;
                domain.dns_hosts[at] = host.clone();
            }
            Effect::DeleteDnsHost { name } => {
                let at =
                    find_host(&domain.dns_hosts, name).ok_or_else(|| format!("The DNS host {name} does not exist."))?;
                domain.dns_hosts.remove(at);
            }
            Effect::AddDsRecord { record } => {
                if find_record(&domain.ds_records, record.key_tag).is_some() {
                    return Err(format!("A DS record with key tag {} exists already.", record.key_tag));
                }
                domain.ds_records.push(record.clone());
            }
            Effect::PutDsRecord { record } => {
                let at = find_record(&domain.ds_records, record.key_tag)
                    .ok_or_else(|| format!("There is no DS record with key tag {}.", record.key_tag))?;
                domain.ds_records[at] = record.clone();
            }
            Effect::DeleteDsRecord { key_tag } => {
                let at = find_record(&domain.ds_records, *key_tag)
                    .ok_or_else(|| format!("There is no DS record with key tag {key_tag}."))?;
                domain.ds_records.remove(at);
            }
            Effect::UpdateContact {
                contact_type,
                contact,
                transfer_lock,
            } => {
                if contact_type == "registrant" {
                    domain.registrant_profile_id = Some(contact.id).filter(|id| *id != 0);
                    domain.registrant_name.clone_from(&contact.registrant_name);
                    domain
                        .registrant_organization
                        .clone_from(&contact.registrant_organization);
                    domain.email.clone_from(&contact.email);
                    domain.registrant_type.clone_from(&contact.registrant_type);
                }
                domain.transfer_prohibition_lock |= *transfer_lock;
            }
            Effect::AssociateEns { address } => domain.ens_address = Some(address.clone()),
            Effect::DisassociateEns => {
                if domain.ens_address.take().is_none() {
                    return Err("The domain name has no ENS address to disassociate.".into());
                }
            }
            Effect::Add { .. } | Effect::VerifyRealName { .. } | Effect::None => {}
        }
        Ok(false)
    }
}

fn find_host(hosts: &[DnsHost], name: &str) -> Option<usize> {
    hosts.iter().position(|host| host.name.eq_ignore_ascii_case(name))
}

fn find_record(records: &[DsRecord], key_tag: i32) -> Option<usize> {
    records.iter().position(|record| record.key_tag == key_tag)
}
