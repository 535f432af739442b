//! The suggester's regression set: realistic shop-floor notes in plain words (not the pack's
//! terms), each with the criteria an assessor would map it to, and a test that reports recall
//! (the right criteria found among those shown) and precision (those shown that are right).
//! Notes with no criteria check that everyday words ("feedback" from a manager, a stock
//! "audit") suggest nothing. Run `cargo test -p pocketfolio-core suggester_recall -- --nocapture`
//! for the figures.

use super::pack;
use super::suggest::suggest;

const N: &str = "negotiate/";
const RR: &str = "retail-relationships/";
const RS: &str = "retail-reliable-service/";

/// (note, the criteria an assessor would link, as unit prefix + local id)
const CASES: &[(&str, &[(&str, &str)])] = &[
    ("Supplier wanted to put the price of our paper bags up. We settled on free delivery if we ordered for a year, and I emailed their rep to confirm what we agreed.",
     &[(N, "lo3/ac3.4"), (N, "lo3/ac3.5"), (N, "lo3/mp12")]),
    ("Before I rang the cleaning firm I wrote down what I wanted: the monthly bill under £1,000 and the windows still done weekly. I also worked out the most I'd pay before going to another firm.",
     &[(N, "lo2/ac2.1"), (N, "lo2/ac2.2"), (N, "lo2/mp3")]),
    ("A lady came in upset because her kettle stopped working after a week. I said sorry, listened to what happened, swapped it for a new one and rang her two days later to check it was ok.",
     &[(RR, "lo3/ac3.4")]),
    ("Man wanted his money back on a jacket he'd worn, no receipt, bought in March. Our policy is 28 days with a receipt. I explained why and offered a credit note instead, which he took.",
     &[(RR, "lo3/ac3.3")]),
    ("Mrs P always buys the same decaf. It came in yesterday so I put two packs by for her and told her when she came in.",
     &[(RR, "lo3/ac3.2"), (RR, "lo3/mp4")]),
    ("Asked the customer what the coat was for and where she walks, then repeated back that she needed something waterproof but light before showing her three.",
     &[(RR, "lo3/ac3.1"), (RR, "lo3/mp2")]),
    ("My manager watched me on the till and afterwards gave me feedback about smiling more.", &[]),
    ("We had a stock audit on Sunday and I counted the back room.", &[]),
    ("Customer asked for a bigger discount than I'm allowed to give, so I told him it was beyond my authority and got the duty manager.",
     &[(RR, "lo3/ac3.3")]),
    ("Put together a plan for the weekend: everyone greets customers within 30 seconds, tills never more than 3 deep, Sam in charge of the fitting rooms. We'll check it at the team meeting in two weeks.",
     &[(RS, "lo2/ac2.1"), (RS, "lo2/ac2.2"), (RS, "lo2/mp2")]),
    ("Counted how many people came in and how many bought on Saturday: 800 in and 200 sales, so 25%. Told the team at the huddle we need to ask everyone if they need help.",
     &[(RS, "lo3/ac3.3"), (RR, "lo1/ac1.2")]),
    ("Put a short survey on the till receipts and read through our Google reviews too. Most people moaned about the queues at lunch.",
     &[(RR, "lo4/ac4.1"), (RS, "lo3/ac3.2")]),
    ("After people complained about lunchtime queues we opened a second till from 12 till 2. The average wait went from 6 minutes to 3 and the complaints dropped.",
     &[(RR, "lo4/ac4.2"), (RR, "lo4/mp5")]),
    ("Looked through the complaints book: nearly all the complaints were on Saturdays between 12 and 3. The till data shows that's our busiest time with only two tills on, so I suggested the manager changes the rota.",
     &[(RS, "lo4/ac4.1"), (RS, "lo4/mp5")]),
    ("Used the loyalty card data to see which customers hadn't been in for three months and sent them a voucher.",
     &[(RS, "lo3/ac3.1"), (RS, "lo3/mp3")]),
    ("In the meeting with the delivery company I kept calm even when their rep raised his voice, and stuck to the facts about the late drops.",
     &[(N, "lo3/mp10"), (N, "lo3/ac3.1")]),
    ("I noticed the buyer kept looking at his watch, so I asked if he'd rather we picked the rest up next week. He seemed relieved.",
     &[(N, "lo3/mp7"), (N, "lo3/ac3.2")]),
    ("Before the meeting I found out who else cared about the deal, our finance lady and their warehouse manager, and what each of them wanted.",
     &[(N, "lo2/ac2.4"), (N, "lo2/mp5")]),
    ("Wrote down what I could give away, like free delivery and longer payment terms, and what I'd want back for each.",
     &[(N, "lo2/ac2.3"), (N, "lo2/mp4")]),
    ("They would not go below £12 a unit and my limit was £11.50, so I thanked them and told them we'd use the other supplier we'd lined up.",
     &[(N, "lo3/ac3.4"), (N, "lo3/mp11")]),
    ("Looking back, I gave away the free delivery too early. Next time I'd ask for the longer contract first, and I've set myself a goal to practise with my supervisor before the next one.",
     &[(N, "lo4/ac4.3")]),
    ("We got the price we wanted from the supplier, but their account manager has been a bit cold since and cancelled our catch-up call.",
     &[(N, "lo4/ac4.1"), (N, "lo4/ac4.2")]),
    ("I opened by asking about their week and thanked them for coming in, then we agreed what we'd cover in the meeting.",
     &[(N, "lo3/ac3.1")]),
    ("I told the customer the offer ended on Sunday, which was true, and left it with him to decide.",
     &[(N, "lo3/mp9"), (N, "lo3/ac3.3")]),
    ("On the call with the supplier I asked what mattered most to her about delivery and summed up what she said before making an offer.",
     &[(N, "lo3/ac3.2"), (N, "lo3/mp6")]),
    ("We didn't have her size, so I helped the customer order online on the tablet and she chose to collect it here on Friday.",
     &[(RS, "lo1/ac1.3")]),
    ("Told the new starter to greet people, ask what they're looking for, show a couple of options, deal with worries about price, then offer to take it to the till.",
     &[(RS, "lo1/ac1.1")]),
    ("Set up a monthly check where I go through the mystery shopper scores and customer comments with the team and we agree one thing to change.",
     &[(RS, "lo4/ac4.2"), (RS, "lo4/mp4"), (RS, "lo3/ac3.2")]),
    ("Our mystery shop score was 78%, and the comments said staff seemed rushed.",
     &[(RS, "lo3/ac3.2")]),
    ("Worked out our Net Promoter Score from the survey: 60% would recommend us strongly and 15% wouldn't, so +45. Showed the manager how it has gone up since we started remembering regulars' orders.",
     &[(RR, "lo1/mp1")]),
    ("During Saturday's rush I just told people where to go, Jo on till 2 and Sam on the fitting rooms, no time to discuss. On Monday we sat down together and everyone had a say about how to avoid it.",
     &[(RR, "lo2/ac2.1")]),
    ("A customer in a wheelchair couldn't reach the top shelf, so I brought the products down and let her choose at the counter.",
     &[(RR, "lo3/ac3.2"), (RR, "lo3/mp4")]),
    ("I planned what I wanted before the call with the printer: best case 10% off, happy with 5%, wouldn't go below 3%, and if they said no I'd use the printer across town.",
     &[(N, "lo2/ac2.1"), (N, "lo2/ac2.2"), (N, "lo2/mp3")]),
    ("The customer said the price was too high, so I asked what she was comparing it with and explained the two-year guarantee.",
     &[(RS, "lo1/ac1.1")]),
];

/// Three earlier held-out sets, folded in here once the rules had been improved after seeing
/// them: they no longer measure anything unseen.
const SEEN_HELD_OUT: &[(&str, &[(&str, &str)])] = &[
    ("The window cleaner wanted to go up to £60 a month. I said we'd pay £55 if he also did the back windows, and he agreed. I put it in an email to him the same afternoon.",
     &[(N, "lo3/ac3.4"), (N, "lo3/ac3.5"), (N, "lo3/mp12")]),
    ("An older gentleman complained that the self-checkout kept rejecting his bag. I apologised, served him on a staffed till and reported the fault.",
     &[(RR, "lo3/ac3.4")]),
    ("Before talking to the stationery supplier I noted down that I wanted a 5% discount and next-day delivery, and that if they refused we'd switch to the online wholesaler.",
     &[(N, "lo2/ac2.1"), (N, "lo2/ac2.2"), (N, "lo2/mp3")]),
    ("The rep kept pushing for a two-year contract. I said politely but clearly that we could only commit to one year, and repeated it when he asked again.",
     &[(N, "lo3/ac3.3"), (N, "lo3/mp8")]),
    ("We put a QR code on the counter linking to a two-question survey and also asked customers face to face for a week.",
     &[(RR, "lo4/ac4.1")]),
    ("Noticed from the till reports that gift card sales jump in the last week before Christmas, so I briefed the team to mention them to every customer that week.",
     &[(RS, "lo3/ac3.3")]),
    ("A regular told me she was going to a wedding, so I showed her the new dresses in her colour and rang her when matching shoes came in.",
     &[(RR, "lo3/ac3.2"), (RR, "lo3/mp4")]),
    ("Checked the complaints log for the month: most were about click and collect orders not being ready, because nobody was picking them before 11. Suggested one person picks orders from opening.",
     &[(RS, "lo4/ac4.1"), (RS, "lo4/mp5")]),
    ("Cleaned the staff room and did the fire door check.", &[]),
    ("After the negotiation with the courier I realised I hadn't asked enough questions about their busy times. I'm going to prepare three questions beforehand next time.",
     &[(N, "lo4/ac4.3")]),
    ("The van hire company wanted £90 a day. I said we'd book them for every Friday until Christmas if they did £75, and they said yes. I sent them a message afterwards with the dates and price.",
     &[(N, "lo3/ac3.4"), (N, "lo3/ac3.5"), (N, "lo3/mp12")]),
    ("A man shouted at me because his online order hadn't arrived. I let him finish, apologised, checked the tracking and arranged a replacement for the next day.",
     &[(RR, "lo3/ac3.4")]),
    ("I know Mr K likes the crusty loaf, so when we had the last one I saved it behind the counter for him.",
     &[(RR, "lo3/ac3.2"), (RR, "lo3/mp4")]),
    ("Wrote our standards for the phone: answer in three rings and call back within the hour if we can't help straight away.",
     &[(RS, "lo2/ac2.1")]),
    ("Our till figures showed people were spending less on weekday afternoons, so I showed the team how to suggest a matching item at the till.",
     &[(RS, "lo3/ac3.3")]),
    ("Before the meeting with the landlord I decided I wanted a new 3-year lease at no more than a 2% rise, and if he wouldn't budge we'd look at the empty unit down the road.",
     &[(N, "lo2/ac2.1"), (N, "lo2/ac2.2"), (N, "lo2/mp3")]),
    ("The customer wanted to return sale knickers, which our policy doesn't allow for hygiene reasons. I explained and offered to swap the size if they were unopened.",
     &[(RR, "lo3/ac3.3")]),
    ("I asked the supplier's rep what was behind the price rise and repeated back what he said about fuel costs before I answered.",
     &[(N, "lo3/ac3.2"), (N, "lo3/mp6")]),
    ("My team leader said my shelves were really tidy today.", &[]),
    ("We read every comment card each week and added a seat by the fitting rooms because people kept asking for one. Comment cards mentioning the fitting rooms dropped from 11 to 2 in a month.",
     &[(RR, "lo4/ac4.1"), (RR, "lo4/ac4.2"), (RR, "lo4/mp5")]),
    // The third held-out set (10 notes), folded in when the rules became synonym groups.
    ("The florist who does our displays wanted £40 more a week. We agreed on £20 more if she also did the window at Easter, and I wrote it in the order book and sent her a copy.",
     &[(N, "lo3/ac3.4"), (N, "lo3/ac3.5"), (N, "lo3/mp12")]),
    ("A woman was annoyed because we'd charged her twice. I said sorry straight away, refunded the extra and gave her my name in case it happened again.",
     &[(RR, "lo3/ac3.4")]),
    ("Before I spoke to the bakery about our bread order I made a note of the lowest price I'd take for the day-old stock and what I'd do if they didn't want it.",
     &[(N, "lo2/ac2.2"), (N, "lo2/mp3")]),
    ("A customer wanted to use an expired voucher. Our rules say no, but I checked with the supervisor and we let him use it on full-price items only.",
     &[(RR, "lo3/ac3.3")]),
    ("Every Monday I now go through last week's complaints and mystery shop results with the supervisor and we pick one thing to fix.",
     &[(RS, "lo4/ac4.2"), (RS, "lo4/mp4")]),
    ("I asked the delivery driver's manager what was causing the late drops and played back what she said about road works before suggesting a new time.",
     &[(N, "lo3/ac3.2"), (N, "lo3/mp6")]),
    ("Showed a customer how to check stock on our app so she could see if her nearest store had it.",
     &[(RS, "lo1/ac1.3")]),
    ("Swept the car park and emptied the bins.", &[]),
    ("A mum with a pushchair was struggling with the door, so I held it, carried her basket to the till and packed for her.",
     &[(RR, "lo3/ac3.2")]),
    ("Our score on the last mystery shop went from 72% to 88% after we started greeting everyone within a minute.",
     &[(RS, "lo3/ac3.2"), (RR, "lo4/ac4.2")]),
];

/// Written after the rules were last changed (synonym groups, December 2026) and run once,
/// never tuned against: the fairer view of how the suggester does on notes it has not seen.
/// Reported, not held to the 80 % goal.
const HELD_OUT: &[(&str, &[(&str, &str)])] = &[
    ("The milk man told us the price per crate is going up in April. I asked if he'd hold it till summer if we took an extra crate a week; he rang his boss and said fine. I've put it on the noticeboard and messaged him so we both have it.",
     &[(N, "lo3/ac3.4"), (N, "lo3/ac3.5"), (N, "lo3/mp12")]),
    ("Before talking to the security company about renewing, I jotted down the three things I wanted: same guard hours, no price increase, and a named guard. If they wanted more money I was going to get prices from two others.",
     &[(N, "lo2/ac2.1"), (N, "lo2/ac2.2"), (N, "lo2/mp3")]),
    ("A bloke was fuming at the till because the offer on the shelf label didn't ring through. I apologised, honoured the shelf price and got the label changed.",
     &[(RR, "lo3/ac3.4")]),
    ("Lady wanted to return a swimsuit with the hygiene strip removed. I explained we can't take those back for health reasons, and offered to check if we had a different size still sealed.",
     &[(RR, "lo3/ac3.3")]),
    ("One of our regulars, Derek, is partially sighted, so I read him the prices on the offers and walked him round to the items he wanted.",
     &[(RR, "lo3/ac3.2"), (RR, "lo3/mp4")]),
    ("A customer said she was looking for a present. I asked who it was for, what they liked, and roughly what she wanted to spend, then checked back that I'd got it right.",
     &[(RR, "lo3/ac3.1"), (RR, "lo3/mp2")]),
    ("My supervisor said I need to speed up on the tills.", &[]),
    ("Did the fridge temperature checks and filled in the sheet.", &[]),
    ("The courier said they'd have to charge for Saturday collections now. I explained we'd have to move all our parcels to another firm if so, and they agreed to keep Saturdays free as long as we send at least 20 parcels a week.",
     &[(N, "lo3/ac3.4"), (N, "lo3/mp12")]),
    ("When their sales manager got short with me about our late payment, I didn't argue back. I kept my voice level and went through the dates one by one.",
     &[(N, "lo3/mp10"), (N, "lo3/ac3.1")]),
    ("Halfway through the meeting the supplier's rep kept glancing at the door and gave short answers, so I suggested a ten-minute break. After the break he was much chattier.",
     &[(N, "lo3/mp7"), (N, "lo3/ac3.2")]),
    ("I asked the packaging rep what was most important to her firm this year and she said keeping customers long term, not just price, so I pitched a two-year deal.",
     &[(N, "lo3/ac3.2"), (N, "lo3/mp6")]),
    ("The agency wanted a 3 year contract. I told them twice, politely, that 12 months was as far as I could go, and didn't move.",
     &[(N, "lo3/ac3.3"), (N, "lo3/mp8")]),
    ("Told the rep we had budget for the new shelving this month only, which was true, and let him decide if he wanted the order.",
     &[(N, "lo3/mp9"), (N, "lo3/ac3.3")]),
    ("Thinking about the meeting with the cleaners afterwards: I talked too much and didn't let them explain their costs. For the next one I'll write down my questions first and ask my manager to watch.",
     &[(N, "lo4/ac4.3")]),
    ("We wanted £500 off the annual fee and only got £300, but we did get free call-outs, which wasn't in my plan.",
     &[(N, "lo4/ac4.1")]),
    ("Since we pushed the van company hard on price they've been slower to answer emails, so I rang their manager to smooth things over.",
     &[(N, "lo4/ac4.2")]),
    ("Before the meeting with the catering firm I listed what we could offer them, like a longer contract or paying on time every month, and what I'd ask for in exchange.",
     &[(N, "lo2/ac2.3"), (N, "lo2/mp4")]),
    ("Found out beforehand that the drinks supplier's area rep gets a bonus on new product lines, and that our own finance team needed payment terms of 60 days.",
     &[(N, "lo2/ac2.4"), (N, "lo2/mp5")]),
    ("Explained to the apprentice how a sale usually goes: say hello, find out what they need, show them something that fits, answer any worries, and then ask if they want to buy it.",
     &[(RS, "lo1/ac1.1")]),
    ("Customer couldn't find the blender in our shop so I checked the website, saw the next town had three, and reserved one for her to pick up tomorrow.",
     &[(RS, "lo1/ac1.3")]),
    ("Wrote a rule for the deli counter: anyone waiting gets acknowledged straight away and served within four minutes at busy times.",
     &[(RS, "lo2/ac2.1")]),
    ("Drew up who does what on Black Friday: Priya on doors, Tom restocking, me floating, and we'll look back on it on the Monday.",
     &[(RS, "lo2/ac2.2"), (RS, "lo2/mp2")]),
    ("The till reports showed basket spend drops after 6pm, so at the evening team briefing I set everyone a target of offering one extra item to each customer.",
     &[(RS, "lo3/ac3.3")]),
    ("I use the customer database to see who bought a bike in the last year and send them a reminder when their free service is due.",
     &[(RS, "lo3/ac3.1"), (RS, "lo3/mp3")]),
    ("We track how long people queue by counting every hour, and we also read what customers write on the feedback cards.",
     &[(RS, "lo3/ac3.2")]),
    ("Went through last quarter's refunds book: most returns were one brand of trainer splitting at the sole. I told the buyer and suggested we stop stocking it.",
     &[(RS, "lo4/ac4.1"), (RS, "lo4/mp5")]),
    ("We now sit down on the first Tuesday of every month, look at the survey results and complaint numbers, choose something to work on and check at the next one whether it helped.",
     &[(RS, "lo4/ac4.2"), (RS, "lo4/mp4")]),
    ("Customers kept saying on the survey they couldn't find staff, so we put someone on the shop floor at all times. Our 'easy to find help' score went up from 3.1 to 4.2 in six weeks.",
     &[(RR, "lo4/ac4.2"), (RR, "lo4/mp5")]),
    ("Asked people at the till to rate us out of 10 and also started reading our Facebook comments every week.",
     &[(RR, "lo4/ac4.1"), (RS, "lo3/ac3.2")]),
    ("On Saturday the fire alarm went off and I just gave everyone instructions, no discussion. The week after I asked the team what they thought of the new layout and we voted on it.",
     &[(RR, "lo2/ac2.1")]),
    ("Worked out our conversion last week: 1,200 people came through the door and we made 300 sales. Average spend was £18.",
     &[(RR, "lo1/ac1.2")]),
    ("A family came in for school shoes. The younger one was nervous, so I let him try them on in the quiet corner and measured his feet twice to be sure.",
     &[(RR, "lo3/ac3.2"), (RR, "lo3/mp4")]),
    ("A man complained his new phone case had cracked. I said I was sorry, gave him a new one and told him to come straight to me if it happened again.",
     &[(RR, "lo3/ac3.4")]),
];

/// (recall, precision) over the set: right among shown ÷ all right, right among shown ÷ shown.
fn measure(cases: &[(&str, &[(&str, &str)])]) -> (f64, f64, Vec<String>) {
    let (mut right, mut expected, mut shown) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for (note, want) in cases {
        let want: Vec<String> = want.iter().map(|(u, c)| format!("{u}{c}")).collect();
        let got: Vec<String> = suggest(pack(), &pack().criteria, None, note, &[])
            .into_iter()
            .map(|s| s.criterion_id)
            .collect();
        let hits = got.iter().filter(|g| want.contains(g)).count();
        right += hits;
        expected += want.len();
        shown += got.len();
        if hits != want.len() || hits != got.len() {
            misses.push(format!("{note}\n  wanted {want:?}\n  shown  {got:?}"));
        }
    }
    (
        right as f64 / expected.max(1) as f64,
        right as f64 / shown.max(1) as f64,
        misses,
    )
}

#[test]
fn the_regression_set_is_large_enough_and_names_real_criteria() {
    assert!(CASES.len() + SEEN_HELD_OUT.len() >= 30);
    assert!(HELD_OUT.len() >= 30);
    for (_, want) in CASES.iter().chain(SEEN_HELD_OUT).chain(HELD_OUT) {
        for (u, c) in *want {
            let id = format!("{u}{c}");
            assert!(pack().criteria.iter().any(|x| x.id == id), "{id}");
        }
    }
}

#[test]
fn suggester_recall_and_precision_on_plain_words_notes() {
    let cases: Vec<_> = CASES.iter().chain(SEEN_HELD_OUT).copied().collect();
    let (recall, precision, misses) = measure(&cases);
    eprintln!(
        "suggester on {} plain-words notes: recall {:.0}%, precision {:.0}%",
        cases.len(),
        recall * 100.0,
        precision * 100.0
    );
    for m in &misses {
        eprintln!("{m}");
    }
    assert!(recall >= 0.8, "recall {recall:.2}");
    assert!(precision >= 0.8, "precision {precision:.2}");
}

#[test]
fn suggester_on_held_out_notes_is_reported() {
    let (recall, precision, misses) = measure(HELD_OUT);
    eprintln!(
        "suggester on {} held-out notes: recall {:.0}%, precision {:.0}%",
        HELD_OUT.len(),
        recall * 100.0,
        precision * 100.0
    );
    for m in &misses {
        eprintln!("{m}");
    }
    // Not held to the goal (that would turn it into a tuning set), but it must find something.
    assert!(recall > 0.0);
}
