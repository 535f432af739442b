//! The witness list at the front of an export, as City & Guilds and SQA portfolios open: every
//! witness once, with their role, how they know the learner, how to reach them, and the items
//! they gave testimony for.

use super::escape::escape_html as esc;
use super::model::Portfolio;
use crate::evidence::{WITNESS_CONTACT, WITNESS_NAME, WITNESS_RELATIONSHIP, WITNESS_ROLE};
use crate::model::EvidenceKind;
use serde::Serialize;
use std::fmt::Write;

/// One witness and what they testified to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WitnessEntry {
    /// Their name.
    pub name: String,
    /// Their job role.
    pub role: String,
    /// How they know the learner.
    pub relationship: String,
    /// How to reach them.
    pub contact: String,
    /// The items (id, title) they gave testimony for, in the portfolio's order.
    pub items: Vec<(String, String)>,
}

/// Every witness named on a testimony in the portfolio, in the order they first appear. The
/// same name and contact (ignoring case and spacing) is one witness.
pub fn witness_list(p: &Portfolio) -> Vec<WitnessEntry> {
    let mut out: Vec<WitnessEntry> = Vec::new();
    for e in &p.items {
        let item = &e.item;
        if item.kind != EvidenceKind::WitnessTestimony {
            continue;
        }
        let field = |k: &str| item.fields.get(k).map_or("", |v| v.trim()).to_string();
        let name = field(WITNESS_NAME);
        if name.is_empty() {
            continue;
        }
        let contact = field(WITNESS_CONTACT);
        let key = |n: &str, c: &str| format!("{}\u{0}{}", folded(n), folded(c));
        let entry = (item.id.to_string(), item.title.clone());
        match out
            .iter_mut()
            .find(|w| key(&w.name, &w.contact) == key(&name, &contact))
        {
            Some(w) => w.items.push(entry),
            None => out.push(WitnessEntry {
                name,
                role: field(WITNESS_ROLE),
                relationship: field(WITNESS_RELATIONSHIP),
                contact,
                items: vec![entry],
            }),
        }
    }
    out
}

fn folded(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The list as a table for `index.html`.
pub(super) fn render_witness_list(h: &mut String, p: &Portfolio) {
    let witnesses = witness_list(p);
    h.push_str(r#"<section aria-labelledby="witnesses"><h2 id="witnesses">Witnesses</h2>"#);
    if witnesses.is_empty() {
        h.push_str("<p>No witness testimony in this portfolio.</p></section>");
        return;
    }
    h.push_str("<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Role</th><th scope=\"col\">Relationship to the learner</th><th scope=\"col\">Contact</th><th scope=\"col\">Testimony</th></tr></thead><tbody>");
    for w in witnesses {
        let items = w
            .items
            .iter()
            .map(|(id, title)| format!(r##"<a href="#item-{id}">{}</a>"##, esc(title)))
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{items}</td></tr>",
            esc(&w.name),
            esc(&w.role),
            esc(&w.relationship),
            esc(&w.contact)
        );
    }
    h.push_str("</tbody></table></section>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EvidenceId, EvidenceItem, Stage, WitnessState};
    use crate::portfolio::PortfolioItem;

    fn testimony(n: i64, title: &str, name: &str, contact: &str) -> PortfolioItem {
        let mut item = EvidenceItem::draft(
            EvidenceId::new_at(n),
            EvidenceKind::WitnessTestimony,
            title.into(),
            n,
        );
        for (k, v) in [
            (WITNESS_NAME, name),
            (WITNESS_CONTACT, contact),
            (WITNESS_ROLE, "Store <manager>"),
            (WITNESS_RELATIONSHIP, "Line manager"),
        ] {
            item.fields.insert(k.into(), v.into());
        }
        PortfolioItem {
            item,
            history: vec![],
            witness: WitnessState::Unsigned,
            status: Stage::Draft,
            files: vec![],
            kept: None,
        }
    }

    #[test]
    fn each_witness_once_with_every_item_they_testified_to() {
        let mut p = Portfolio {
            learner: "Lee".into(),
            exported_ms: 0,
            items: vec![
                testimony(1, "Supplier call", "Sam Patel", "sam@example.com"),
                testimony(2, "Till queue", "Jo Bloggs", "jo@example.com"),
                testimony(3, "Refund", " sam  patel", "SAM@example.com"),
                testimony(4, "Unnamed", "  ", ""),
            ],
            units: vec![],
            criteria: vec![],
            held_by: "this device".into(),
            unit_sign_offs: vec![],
            sealed_by: None,
        };
        let list = witness_list(&p);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].name, "Sam Patel");
        let titles: Vec<&str> = list[0].items.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(titles, ["Supplier call", "Refund"]);
        let mut html = String::new();
        render_witness_list(&mut html, &p);
        assert!(html.contains("Store &lt;manager&gt;"), "{html}");
        assert!(html.contains(r##"<a href="#item-"##));
        p.items.clear();
        let mut html = String::new();
        render_witness_list(&mut html, &p);
        assert!(html.contains("No witness testimony"));
    }
}
