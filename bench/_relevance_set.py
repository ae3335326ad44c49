"""A labelled relevance set for "tried elsewhere" and duplicate hints (issue 21), written for the
purpose: 60 lessons published by five other councils and 42 ideas of one council, across service
areas, each idea labelled with the lessons a council officer would want to read before going
further, and with its duplicates among the set's ideas.

Hard negatives are deliberate: council tax text reminders beside bin-day text reminders; a
housing-repairs chatbot beside a council-tax webchat; several housing, children's and waste
problems in the same service area that are not the same problem; words such as "online",
"digital", "text" and "reminder" shared across services.

`load()` puts it in the database through the models (as the library benchmark does) and returns
what `score()` needs; `score()` measures precision@3 and recall@3 (see its docstring).
"""

from dataclasses import dataclass

# key, service, indicator code ("" for none), outcome, title, summary, what was tried, what happened
LESSONS = [
    # -- revenues and benefits: housing benefit changes
    (
        "hb-auto",
        "revenues_benefits",
        "HB-CHANGE",
        "succeeded",
        "Automating Universal Credit change notices for housing benefit",
        "Software applies routine DWP change notices to housing benefit claims without an assessor.",
        "We automated the processing of Universal Credit and DWP change notifications into our benefits system.",
        "Average time to process changes fell from 14 days to 4; assessors now handle only complex cases.",
    ),
    (
        "hb-rbv",
        "revenues_benefits",
        "HB-CHANGE",
        "partly_succeeded",
        "Risk-based verification of benefit changes of circumstances",
        "Lower-risk changes of circumstances were accepted with less evidence.",
        "A risk score decided how much evidence each change of circumstances needed before it was processed.",
        "Low-risk changes were processed quicker, but overpayments rose slightly in the first year.",
    ),
    (
        "hb-eform",
        "revenues_benefits",
        "HB-NEW",
        "succeeded",
        "Online housing benefit claim form with evidence upload",
        "Claimants upload payslips and tenancy agreements with their claim, so new claims are decided sooner.",
        "An online claim form that asks only the questions that apply and takes photos of evidence.",
        "New claims were decided in 16 days instead of 24, because evidence arrived with the claim.",
    ),
    # -- council tax collection
    (
        "ctax-sms",
        "revenues_benefits",
        "CTAX-COLL",
        "succeeded",
        "Text message nudges before council tax reminders",
        "A friendly text a few days after a missed instalment brought in payment before a formal reminder.",
        "Texts to council tax payers who missed an instalment, before the statutory reminder was sent.",
        "Collection rose by 0.6 points and fewer cases went to enforcement agents.",
    ),
    (
        "ctax-dd",
        "revenues_benefits",
        "CTAX-COLL",
        "succeeded",
        "Direct debit by default for new council tax accounts",
        "New residents were asked for direct debit details when they registered for council tax.",
        "The move-in form asked for bank details first and explained that direct debit was the usual way to pay.",
        "Direct debit take-up among new accounts rose from 55% to 78%, and in-year collection improved.",
    ),
    (
        "ctax-ethical",
        "revenues_benefits",
        "CTAX-COLL",
        "partly_succeeded",
        "Ethical collection of council tax arrears with money advice",
        "Residents in arrears were offered debt advice and affordable plans before enforcement.",
        "Collection officers referred people in council tax arrears to money advisers and agreed affordable plans.",
        "Fewer cases went to bailiffs; collection held steady, but the advice service had a waiting list.",
    ),
    # -- waste: missed bins and reminders
    (
        "bin-text",
        "waste",
        "",
        "succeeded",
        "Bin collection reminder texts and emails",
        "Households signed up for a reminder the evening before collection day, and missed bins fell.",
        "Opt-in reminders by text or email the night before each household's bin collection day.",
        "Reports of missed bins fell by a fifth in the areas where people signed up.",
    ),
    (
        "bin-incab",
        "waste",
        "",
        "succeeded",
        "In-cab tablets for bin crews to record missed collections",
        "Crews record bins not put out, so the contact centre can answer missed-bin reports straight away.",
        "Tablets in refuse vehicles where crews log streets finished and bins not presented.",
        "Half of missed bin reports were closed at first contact because the crew had logged the bin as not out.",
    ),
    (
        "bin-app",
        "waste",
        "",
        "partly_succeeded",
        "A collection calendar app for residents",
        "An app showing each household's collection days had few downloads; the web calendar did better.",
        "A phone app with the collection calendar and alerts for bin days and changes over holidays.",
        "Only 4% of households installed it; the printable web calendar was used ten times as much.",
    ),
    # -- waste: recycling contamination
    (
        "rec-advisers",
        "waste",
        "NI192",
        "succeeded",
        "Doorstep recycling advisers cut contamination",
        "Advisers visited households whose recycling bins were rejected for contamination.",
        "Recycling advisers knocked on doors where the crew had tagged a contaminated recycling bin.",
        "Contamination in the recycling fell from 18% to 11% and the recycling rate rose.",
    ),
    (
        "rec-food",
        "waste",
        "NI192",
        "partly_succeeded",
        "Weekly food waste collections for flats",
        "Food waste caddies for flats raised recycling, but take-up was low in high-rise blocks.",
        "Communal food waste bins and kitchen caddies for flats, collected weekly.",
        "Low-rise flats took part well; high-rise blocks barely used the bins.",
    ),
    # -- waste: fly-tipping
    (
        "fly-cctv",
        "waste",
        "FLY-TIP",
        "succeeded",
        "Covert cameras at fly-tipping hot spots",
        "Redeployable cameras at the worst fly-tipping sites led to fines and fewer incidents.",
        "Redeployable CCTV cameras moved between fly-tipping hot spots, with signs and fixed penalty notices.",
        "Fly-tipping at the watched sites fell by 40% and 120 fines were issued in a year.",
    ),
    (
        "fly-wardens",
        "waste",
        "FLY-TIP",
        "partly_succeeded",
        "Community wardens for fly-tipping hot spots",
        "Wardens patrolled the worst streets; fly-tipping fell there but moved to the next estate.",
        "Two community wardens patrolled fly-tipping hot spots and talked to residents and landlords.",
        "Incidents fell on patrolled streets but rose nearby; enforcement needed cameras as well.",
    ),
    (
        "fly-bulky",
        "waste",
        "FLY-TIP",
        "succeeded",
        "Cheaper bulky waste collections to prevent fly-tipping",
        "Halving the charge for bulky waste collection and booking within a week cut dumped furniture.",
        "A lower charge for bulky item collections, booked online, collected within seven days.",
        "Bulky collections doubled and fly-tipped furniture and mattresses fell by a third.",
    ),
    # -- housing: repairs
    (
        "rep-chatbot",
        "housing",
        "",
        "did_not_succeed",
        "Chatbot for housing repairs",
        "A chatbot for reporting repairs did not reduce calls: tenants wanted to speak to someone.",
        "A web chatbot that took repair reports day and night, linked to the repairs system.",
        "Most chats ended with a request to speak to someone; calls to the repairs line did not fall.",
    ),
    (
        "rep-video",
        "housing",
        "",
        "succeeded",
        "Video calls to diagnose repairs before a visit",
        "Tenants showed the repair on a video call, so the right trade arrived with the right parts.",
        "Repairs call handlers offered a video call so that a surveyor could see the repair before booking.",
        "First-time fixes rose from 72% to 86% and wasted visits fell.",
    ),
    (
        "rep-photos",
        "housing",
        "",
        "partly_succeeded",
        "Repair reports with photos from tenants",
        "Tenants could attach photos to online repair requests; useful, but most still phoned.",
        "The online repairs form let tenants attach photos of the problem for the repairs team.",
        "Photos helped triage leaks and damp, but only a quarter of repairs were reported online.",
    ),
    # -- housing: damp and mould
    (
        "damp-sensors",
        "housing",
        "HOU-DECENT",
        "succeeded",
        "Humidity sensors to spot damp and mould early",
        "Sensors in homes at risk of condensation warned us before mould took hold.",
        "Humidity and temperature sensors in 400 council homes with a history of condensation and mould.",
        "Damp and mould complaints in those homes fell by half; alerts led to ventilation fixes.",
    ),
    (
        "damp-team",
        "housing",
        "HOU-DECENT",
        "succeeded",
        "A damp and mould taskforce for council homes",
        "A dedicated team inspects every damp report within ten days and fixes the cause, not just the mould.",
        "A taskforce of surveyors and operatives for damp and mould reports, with follow-up visits.",
        "The backlog of damp cases was cleared in six months and repeat reports fell.",
    ),
    # -- housing: temporary accommodation and homelessness
    (
        "ta-leasing",
        "housing",
        "HOU-BB6",
        "succeeded",
        "Leasing private homes to move families out of bed and breakfast",
        "Leasing homes from private landlords ended the use of bed and breakfast for families.",
        "We leased 60 homes from private landlords for five years as temporary accommodation for families.",
        "No family stayed in bed and breakfast beyond six weeks after the first year, and costs fell.",
    ),
    (
        "ta-prevent",
        "housing",
        "HOU-PREV",
        "succeeded",
        "A homelessness prevention fund for rent arrears",
        "Small payments to clear rent arrears kept households in their homes.",
        "A fund for housing officers to pay off rent arrears or a deposit when it would prevent homelessness.",
        "Two thirds of prevention cases ended with the household staying housed, "
        "at a fraction of the cost of temporary accommodation.",
    ),
    (
        "ta-modular",
        "housing",
        "HOU-TA",
        "partly_succeeded",
        "Modular homes for temporary accommodation",
        "Modular homes on a council car park replaced some hostel places, later and dearer than planned.",
        "Forty modular homes built on council land as temporary accommodation for homeless households.",
        "Residents liked them, but planning and utilities delays added nine months and 20% to the cost.",
    ),
    # -- housing: empty homes re-let
    (
        "relet-voids",
        "housing",
        "HOU-RELET",
        "succeeded",
        "A voids team to re-let empty council homes faster",
        "One team owning empty homes from keys back to new tenancy halved re-let times.",
        "A single voids team with its own trades, a standard for empty homes and viewings before works end.",
        "Average re-let time fell from 48 days to 23.",
    ),
    # -- adult social care: hospital discharge and reablement
    (
        "asc-homefirst",
        "adult_social_care",
        "ASCOF-2B",
        "succeeded",
        "Home first: discharge to assess at home",
        "Older people left hospital to be assessed at home, and more were still at home three months later.",
        "Patients fit to leave hospital went home the same day with reablement support, and were assessed there.",
        "91-day outcomes improved from 79% to 86% and delayed discharges fell.",
    ),
    (
        "asc-reablement",
        "adult_social_care",
        "ASCOF-2B",
        "partly_succeeded",
        "Therapist-led reablement after a hospital stay",
        "Occupational therapists led reablement, with better results but not enough therapists.",
        "Reablement workers led by occupational therapists for people leaving hospital.",
        "People needed less long-term care afterwards, but recruitment of therapists limited the scale.",
    ),
    (
        "asc-telecare",
        "adult_social_care",
        "ASCOF-2A",
        "succeeded",
        "Telecare sensors so older people can stay at home",
        "Falls detectors and sensors let older people stay in their own homes instead of moving to a care home.",
        "Falls detectors, door sensors and a 24-hour response service for older people at risk of a care home move.",
        "Care home admissions among people using it were 30% lower than expected.",
    ),
    (
        "asc-pa",
        "adult_social_care",
        "ASCOF-1C",
        "partly_succeeded",
        "A register of personal assistants for direct payments",
        "A register helped people using direct payments find personal assistants, but supply stayed short.",
        "An online register of vetted personal assistants for people who take their care as a direct payment.",
        "More people chose direct payments, but many areas had no personal assistants available.",
    ),
    (
        "asc-carers",
        "adult_social_care",
        "ASCOF-1A",
        "succeeded",
        "Short breaks for unpaid carers booked online",
        "Carers could book short breaks directly, without waiting for an assessment.",
        "A carers' short-break budget that unpaid carers book themselves through a carers' centre.",
        "Carers reported better quality of life and fewer carer breakdowns led to emergency care.",
    ),
    # -- children's services
    (
        "cs-earlyhelp",
        "childrens_services",
        "CS-REREF",
        "succeeded",
        "Joint hub for early help with the NHS",
        "A shared early-help hub with the NHS saw families a fortnight sooner.",
        "One front door for early help, staffed by council and NHS workers together, with a daily triage meeting.",
        "Families were seen two weeks sooner and re-referrals to social care fell.",
    ),
    (
        "cs-familyhub",
        "childrens_services",
        "CS-REREF",
        "partly_succeeded",
        "Family hubs in children's centres",
        "Family hubs brought health visitors, early help and advice under one roof.",
        "Three children's centres became family hubs with health visitors, parenting support and debt advice.",
        "Families used more services, but re-referrals fell only in one of the three areas.",
    ),
    (
        "cs-mockingbird",
        "childrens_services",
        "CS-LAC3",
        "succeeded",
        "Mockingbird foster care constellations",
        "A hub foster carer supporting six to ten fostering households cut placement breakdowns.",
        "The Mockingbird model: an experienced hub carer offering sleepovers and support "
        "to a group of foster families.",
        "Placement moves fell and fewer foster carers left in the first two years.",
    ),
    (
        "cs-fostering",
        "childrens_services",
        "CS-LAC3",
        "did_not_succeed",
        "A radio campaign to recruit foster carers",
        "A radio advertising campaign brought enquiries but very few approved foster carers.",
        "Radio and bus advertising asking local people to become foster carers.",
        "Enquiries rose but only three households were approved; most enquirers were not ready to foster.",
    ),
    (
        "cs-ehcp",
        "childrens_services",
        "CS-EHCP20",
        "succeeded",
        "Coordinators for education, health and care plans",
        "Named coordinators chasing advice from schools and health cut the time to issue plans.",
        "An EHCP coordinator for each family, chasing educational psychology and health advice to deadlines.",
        "Plans issued within 20 weeks rose from 38% to 71%.",
    ),
    (
        "cs-assess",
        "childrens_services",
        "CS-ASSESS",
        "partly_succeeded",
        "Smaller social work teams to finish assessments on time",
        "Smaller pods of social workers with a consultant finished more assessments within 45 days.",
        "Social work pods of four with a consultant social worker and a coordinator.",
        "Assessments on time rose, but agency staff turnover undid some of the gain.",
    ),
    # -- planning
    (
        "plan-4day",
        "planning",
        "PS2-MINOR",
        "succeeded",
        "A four-day week trial for planning staff",
        "A compressed four-day week helped recruit and keep planning officers, with decisions as quick as before.",
        "Planning and development staff worked 80% of hours for full pay, with productivity targets, for a year.",
        "Vacancies in the planning team were filled and applications were decided as quickly as before.",
    ),
    (
        "plan-trainee",
        "planning",
        "PS2-MINOR",
        "succeeded",
        "Growing our own planning officers through apprenticeships",
        "Planning apprentices studying for a degree filled hard-to-recruit posts.",
        "A chartered town planner degree apprenticeship for four school leavers and career changers.",
        "All four stayed after qualifying; agency planners were no longer needed.",
    ),
    (
        "plan-validation",
        "planning",
        "PS1-MAJOR",
        "partly_succeeded",
        "A validation checklist to cut invalid planning applications",
        "Clearer local validation requirements reduced invalid applications from agents.",
        "A published validation checklist, agents' forum and an online check before applications are submitted.",
        "Invalid applications fell from 45% to 30%; major applications were still slow at committee.",
    ),
    (
        "plan-preapp",
        "planning",
        "PS1-MAJOR",
        "succeeded",
        "Planning performance agreements for major developments",
        "Agreed timetables with developers of major schemes kept decisions on track.",
        "Planning performance agreements setting a timetable and fee for pre-application advice on major schemes.",
        "Major applications decided on time rose to 92%.",
    ),
    # -- highways
    (
        "hw-photos",
        "highways_transport",
        "HW-POTHOLE",
        "succeeded",
        "Pothole reports with photos and a map pin",
        "Photos with reports let inspectors prioritise potholes without a first visit.",
        "Residents reported potholes online with a photo and the location pinned on a map.",
        "Inspection visits fell by a third and category 1 potholes were repaired sooner.",
    ),
    (
        "hw-patcher",
        "highways_transport",
        "HW-POTHOLE",
        "partly_succeeded",
        "A spray injection patcher for potholes",
        "A spray injection machine fixed small potholes quickly, but repairs did not last on main roads.",
        "A spray injection patching vehicle used for small potholes on minor roads.",
        "Repairs were three times quicker, but on busy roads a fifth of patches failed within a year.",
    ),
    (
        "hw-ai-survey",
        "highways_transport",
        "NI169",
        "succeeded",
        "Cameras on bin lorries to survey road condition",
        "Cameras on refuse vehicles mapped road defects every week, feeding the maintenance programme.",
        "Cameras and image recognition on refuse vehicles to record road surface defects as they drove.",
        "We found defects weeks earlier and targeted resurfacing on the roads that needed it.",
    ),
    (
        "hw-parking",
        "highways_transport",
        "",
        "did_not_succeed",
        "Parking permits on residents' phones",
        "Virtual parking permits confused older residents and enforcement officers' handhelds could not read them.",
        "Residents' parking permits held on a phone app instead of paper permits in the windscreen.",
        "Complaints doubled; enforcement devices lost signal and we went back to paper for visitors.",
    ),
    # -- libraries and culture
    (
        "lib-digital",
        "culture_leisure",
        "CL-LIBRARY",
        "succeeded",
        "Library volunteers as digital champions",
        "Trained volunteers helped people get online in libraries, including claiming benefits.",
        "Library volunteers trained as digital champions held weekly drop-ins to help people use online services.",
        "Over 1,500 people were helped in a year, many with Universal Credit claims, and library visits rose.",
    ),
    (
        "lib-openplus",
        "culture_leisure",
        "CL-LIBRARY",
        "succeeded",
        "Self-service opening hours in branch libraries",
        "Technology let members use branch libraries when no staff were present, doubling opening hours.",
        "Door entry with a library card, self-service kiosks and CCTV so branches open without staff.",
        "Opening hours doubled and visits rose by 30%; staffed hours were kept for events.",
    ),
    (
        "lib-bookdrop",
        "culture_leisure",
        "CL-LIBRARY",
        "did_not_succeed",
        "Home delivery of library books by volunteers",
        "A volunteer book delivery service never found enough drivers to cover the county.",
        "Volunteer drivers delivered library books to housebound readers.",
        "Only a third of requests could be met and the service was replaced by a mobile library stop.",
    ),
    (
        "leisure-gp",
        "culture_leisure",
        "CL-LEISURE",
        "succeeded",
        "Exercise on referral from GPs at leisure centres",
        "GPs referred inactive patients to twelve weeks of supported exercise at leisure centres.",
        "A GP exercise referral scheme with instructors at three leisure centres.",
        "Two in five completed the twelve weeks; leisure centre visits by inactive adults rose.",
    ),
    # -- customer services and corporate
    (
        "cust-webchat",
        "corporate",
        "CORP-COMPLAINT",
        "partly_succeeded",
        "Webchat for council tax and benefits questions",
        "Webchat answered simple council tax questions, but complex queries still went to the phones.",
        "Webchat staffed by customer service advisers for council tax and benefits enquiries.",
        "A fifth of contacts moved to chat; satisfaction was high but call volumes fell only slightly.",
    ),
    (
        "cust-complaints",
        "corporate",
        "CORP-COMPLAINT",
        "succeeded",
        "Resolving complaints on the phone before stage one",
        "Calling complainants within two days resolved many complaints before a formal investigation.",
        "A complaints officer phoned each complainant within two working days to try to put things right.",
        "Stage 1 complaints answered on time rose from 61% to 90%.",
    ),
    (
        "corp-sick",
        "corporate",
        "CORP-SICK",
        "succeeded",
        "Fast-track physiotherapy for staff",
        "Quick physiotherapy for staff with back and joint problems cut sickness absence.",
        "Staff with musculoskeletal problems saw a physiotherapist within five days, paid for by the council.",
        "Days lost to musculoskeletal absence fell by a quarter.",
    ),
    (
        "corp-invoice",
        "corporate",
        "CORP-INVOICE",
        "succeeded",
        "Electronic invoicing to pay suppliers on time",
        "Suppliers sent invoices through a portal matched to purchase orders, and more were paid in 30 days.",
        "An e-invoicing portal with automatic matching of invoices to purchase orders and receipts.",
        "Invoices paid within 30 days rose from 82% to 96%.",
    ),
    (
        "corp-foi",
        "corporate",
        "CORP-FOI",
        "partly_succeeded",
        "Publishing common data to cut freedom of information requests",
        "A disclosure log and open data reduced repeat FOI requests a little.",
        "A searchable disclosure log and open data pages for the datasets most asked for under FOI.",
        "Repeat requests fell by 15%, less than hoped, and FOI responses on time rose slightly.",
    ),
    # -- public health
    (
        "ph-smoke-preg",
        "public_health",
        "PH-SMOKE",
        "succeeded",
        "Shopping vouchers for stopping smoking in pregnancy",
        "Vouchers for pregnant women who stayed smoke-free, checked by carbon monoxide tests, doubled quit rates.",
        "Midwives referred pregnant smokers to a scheme paying shopping vouchers for each smoke-free month.",
        "Quit rates at delivery doubled compared with the previous year.",
    ),
    (
        "ph-vape",
        "public_health",
        "PH-SMOKE",
        "succeeded",
        "Free vape starter kits for smokers in social housing",
        "Swap to stop: free vape kits with support helped smokers in council housing quit.",
        "Free vape starter kits and behavioural support offered to smokers through housing officers.",
        "A third of those who took a kit had stopped smoking at four weeks.",
    ),
    (
        "ph-dailymile",
        "public_health",
        "PH-OBESE6",
        "partly_succeeded",
        "The Daily Mile in primary schools",
        "Pupils ran or walked for fifteen minutes a day; fitness improved but obesity figures barely moved.",
        "Primary schools took up the Daily Mile with support from the public health team.",
        "Fitness tests improved, but year 6 obesity changed little within two years.",
    ),
    (
        "ph-healthcheck",
        "public_health",
        "PH-HEALTHCHECK",
        "succeeded",
        "NHS Health Checks in workplaces and mosques",
        "Outreach health checks in workplaces and places of worship reached people who never visit their GP.",
        "Health check nurses ran sessions in large workplaces, mosques and community centres.",
        "Uptake among men under 50 tripled.",
    ),
    (
        "ph-drugs",
        "public_health",
        "PH-DRUG",
        "partly_succeeded",
        "Peer mentors in drug treatment services",
        "People in recovery mentored those in treatment; completions rose for opiate users.",
        "Paid peer mentors with lived experience supported people through opiate treatment.",
        "Successful completions rose from 5% to 7%; mentors needed more supervision than planned.",
    ),
    # -- environmental health, fire
    (
        "eh-food",
        "environmental_health",
        "EH-FHRS",
        "succeeded",
        "Coaching visits for food businesses rated 0 to 2",
        "Advisory visits to poorly rated food businesses raised hygiene ratings.",
        "Environmental health officers offered coaching visits to food businesses with a rating of 0, 1 or 2.",
        "Three quarters of coached businesses were rated 3 or better at re-inspection.",
    ),
    (
        "eh-noise",
        "environmental_health",
        "EH-NOISE",
        "succeeded",
        "A noise app for residents to record nuisance",
        "Residents recorded noise on an app, so officers could judge complaints without visiting first.",
        "The Noise App, letting residents send recordings of noise nuisance with their complaint.",
        "Complaints answered within five days rose and fewer night visits were needed.",
    ),
    (
        "fire-safewell",
        "fire_rescue",
        "FRS-HFSV",
        "succeeded",
        "Joint safe and well visits with housing officers",
        "Fire and housing staff visited vulnerable tenants together, covering fire safety and falls.",
        "Housing officers and firefighters made joint home visits to vulnerable tenants.",
        "Visits reached twice as many high-risk households and dwelling fires fell among them.",
    ),
    # -- more housing and waste hard negatives
    (
        "hou-rent-ai",
        "housing",
        "HOU-RENT",
        "partly_succeeded",
        "Predicting rent arrears to contact tenants early",
        "A model flagged tenants likely to fall into arrears so officers called before debt built up.",
        "Analytics on payment patterns to prioritise early contact with tenants at risk of rent arrears.",
        "Arrears fell slightly; officers found the list useful but it missed new tenants.",
    ),
    (
        "hou-boilers",
        "housing",
        "HOU-DECENT",
        "partly_succeeded",
        "Predictive maintenance for council housing boilers",
        "Boiler sensors cut breakdowns by a third on the pilot estates.",
        "Sensors on boilers to predict failures before tenants lose heating.",
        "Breakdowns fell by a third, but sensor batteries failed early.",
    ),
    (
        "waste-smartbins",
        "waste",
        "NI191",
        "did_not_succeed",
        "Smart bins in the town centre",
        "Sensor bins that report when full failed in the first winter; we stopped early.",
        "Litter bins in the town centre with fill sensors, so crews empty them only when needed.",
        "The sensors failed in the cold and the supplier could not replace them quickly.",
    ),
]

# key, service, indicator code ("" for none), title, problem, proposal, relevant lessons, duplicate ideas
IDEAS = [
    (
        "i-hb-auto",
        "revenues_benefits",
        "HB-CHANGE",
        "Automate housing benefit changes from DWP notices",
        "Assessors key in hundreds of Universal Credit change notices a week and changes take 15 days.",
        "Use software to apply routine change notices automatically.",
        ["hb-auto", "hb-rbv"],
        ["i-hb-robot"],
    ),
    (
        "i-hb-robot",
        "revenues_benefits",
        "HB-CHANGE",
        "Robotic processing of Universal Credit change files",
        "Processing changes of circumstances is slow because every notice is handled by hand.",
        "A software robot to process the daily UC change files into the benefits system.",
        ["hb-auto", "hb-rbv"],
        ["i-hb-auto"],
    ),
    (
        "i-hb-claimform",
        "revenues_benefits",
        "HB-NEW",
        "Photo upload of evidence for new benefit claims",
        "New claims wait weeks for claimants to post in payslips and tenancy agreements.",
        "Let claimants photograph evidence and upload it with the online claim.",
        ["hb-eform"],
        [],
    ),
    (
        "i-ctax-text",
        "revenues_benefits",
        "CTAX-COLL",
        "SMS reminders for missed council tax instalments",
        "Many residents miss one instalment by accident and end up with a summons and costs.",
        "Send a text when an instalment is missed, before the formal reminder.",
        ["ctax-sms", "ctax-ethical"],
        ["i-ctax-nudge"],
    ),
    (
        "i-ctax-nudge",
        "revenues_benefits",
        "CTAX-COLL",
        "Texting council tax payers who miss a payment",
        "Council tax collection is below target and reminders by letter are ignored.",
        "A friendly text nudge to pay, with a link to set up a plan.",
        ["ctax-sms", "ctax-ethical"],
        ["i-ctax-text"],
    ),
    (
        "i-ctax-dd",
        "revenues_benefits",
        "CTAX-COLL",
        "Ask new residents to pay council tax by direct debit",
        "People moving in pay by card or cash and fall behind more often.",
        "Make direct debit the default on the moving-in form.",
        ["ctax-dd"],
        [],
    ),
    (
        "i-ctax-debt",
        "revenues_benefits",
        "CTAX-COLL",
        "Money advice before council tax enforcement",
        "Sending people in arrears to enforcement agents pushes vulnerable households into deeper debt.",
        "Refer residents in arrears to money advice and agree affordable repayment plans first.",
        ["ctax-ethical"],
        [],
    ),
    (
        "i-bin-reminder",
        "waste",
        "",
        "Bin day reminder messages",
        "Households forget which bin goes out and collections are missed.",
        "A reminder message service for collection days.",
        ["bin-text", "bin-app"],
        ["i-bin-text"],
    ),
    (
        "i-bin-text",
        "waste",
        "",
        "Text reminders the night before bin day",
        "Missed bin collections lead to complaints and return visits that cost the crews time.",
        "Send an opt-in text message the evening before each household's collection.",
        ["bin-text", "bin-app"],
        ["i-bin-reminder"],
    ),
    (
        "i-bin-crews",
        "waste",
        "",
        "Let crews record bins that were not put out",
        "The contact centre cannot tell whether a missed bin was missed by the crew or not put out.",
        "Give refuse crews tablets to log bins not presented, visible to call handlers.",
        ["bin-incab"],
        [],
    ),
    (
        "i-contamination",
        "waste",
        "NI192",
        "Recycling advisers for households with contaminated bins",
        "A fifth of our recycling is rejected for contamination and the recycling rate is falling.",
        "Visit households whose recycling bins are tagged as contaminated and explain what goes in.",
        ["rec-advisers"],
        [],
    ),
    (
        "i-food-flats",
        "waste",
        "NI192",
        "Food waste recycling for blocks of flats",
        "Residents of flats have no food waste collection, so recycling on estates is low.",
        "Communal food waste bins for flats with caddies for every kitchen.",
        ["rec-food"],
        [],
    ),
    (
        "i-fly-cameras",
        "waste",
        "FLY-TIP",
        "CCTV at fly-tipping hot spots",
        "The same lay-bys and alleys are fly-tipped every week and we never catch anyone.",
        "Mobile cameras at hot spots, with signs, and fines for those caught.",
        ["fly-cctv", "fly-wardens"],
        ["i-fly-covert"],
    ),
    (
        "i-fly-covert",
        "waste",
        "FLY-TIP",
        "Hidden cameras to catch fly-tippers",
        "Fly-tipping incidents rose 20% last year and clearing them costs £300,000.",
        "Redeployable covert cameras to gather evidence for prosecutions.",
        ["fly-cctv", "fly-wardens"],
        ["i-fly-cameras"],
    ),
    (
        "i-fly-bulky",
        "waste",
        "FLY-TIP",
        "Cheaper collection of bulky items",
        "Dumped sofas and mattresses make up much of the fly-tipping on our estates.",
        "Cut the bulky waste charge and collect within a week of booking.",
        ["fly-bulky"],
        [],
    ),
    (
        "i-rep-video",
        "housing",
        "",
        "Video call to see a repair before sending a trade",
        "Operatives arrive without the right parts and have to come back, because reports are vague.",
        "Offer tenants a video call so a surveyor can see the repair first.",
        ["rep-video", "rep-photos"],
        ["i-rep-whatsapp"],
    ),
    (
        "i-rep-whatsapp",
        "housing",
        "",
        "Tenants send photos of repairs by WhatsApp",
        "Repairs are misdiagnosed on the phone and need a second visit.",
        "Let tenants send photos or videos of a repair before a visit is booked.",
        ["rep-video", "rep-photos"],
        ["i-rep-video"],
    ),
    (
        "i-rep-247",
        "housing",
        "",
        "Report housing repairs online at any time",
        "Tenants can only report repairs by phone in office hours, and the repairs line is busy.",
        "An online repairs reporting service, available day and night, linked to the repairs system.",
        ["rep-chatbot", "rep-photos"],
        [],
    ),
    (
        "i-damp",
        "housing",
        "HOU-DECENT",
        "Sensors to warn of damp in council homes",
        "Damp and mould complaints have doubled and we find out only when tenants are ill.",
        "Fit humidity sensors in homes at risk, with alerts to the repairs team.",
        ["damp-sensors", "damp-team"],
        ["i-damp-mould"],
    ),
    (
        "i-damp-mould",
        "housing",
        "HOU-DECENT",
        "Tackle damp and mould in our housing",
        "Tenants wait months for damp and mould to be dealt with, and it comes back.",
        "A specialist team to inspect every damp report quickly and fix the cause.",
        ["damp-team", "damp-sensors"],
        ["i-damp"],
    ),
    (
        "i-ta-lease",
        "housing",
        "HOU-BB6",
        "Lease homes from private landlords for homeless families",
        "Families are kept in bed and breakfast for months because we have no other temporary accommodation.",
        "Lease private rented homes for five years to use as temporary accommodation.",
        ["ta-leasing", "ta-modular"],
        [],
    ),
    (
        "i-ta-prevent",
        "housing",
        "HOU-PREV",
        "Pay off rent arrears to stop evictions",
        "Households are made homeless over small rent arrears that cost far less than temporary accommodation.",
        "A prevention fund housing officers can use to clear arrears.",
        ["ta-prevent"],
        [],
    ),
    (
        "i-relet",
        "housing",
        "HOU-RELET",
        "Re-let empty council homes faster",
        "Empty homes take seven weeks to re-let while the waiting list grows.",
        "One voids team that owns each empty home from keys returned to the new tenancy.",
        ["relet-voids"],
        [],
    ),
    (
        "i-rent-early",
        "housing",
        "HOU-RENT",
        "Contact tenants before rent arrears build up",
        "Rent collection is falling and officers only act once arrears are large.",
        "Use payment data to find tenants likely to fall behind and call them early.",
        ["hou-rent-ai"],
        [],
    ),
    (
        "i-asc-homefirst",
        "adult_social_care",
        "ASCOF-2B",
        "Assess people at home after hospital, not on the ward",
        "Older people wait in hospital for social care assessments and lose their independence.",
        "Discharge to assess: send people home with reablement and assess them there.",
        ["asc-homefirst", "asc-reablement"],
        [],
    ),
    (
        "i-asc-telecare",
        "adult_social_care",
        "ASCOF-2A",
        "Falls sensors to help older people stay at home",
        "Too many older people move into care homes after a fall at home.",
        "Offer telecare falls detectors with a 24-hour response service.",
        ["asc-telecare"],
        [],
    ),
    (
        "i-asc-pa",
        "adult_social_care",
        "ASCOF-1C",
        "Help people on direct payments find personal assistants",
        "People who want a direct payment give up because they cannot find a personal assistant.",
        "A register of vetted personal assistants people can search.",
        ["asc-pa"],
        [],
    ),
    (
        "i-cs-hub",
        "childrens_services",
        "CS-REREF",
        "Single front door for early help with health visitors",
        "Families are passed between council and NHS services and come back to social care later.",
        "A joint early help hub with health visitors and school nurses.",
        ["cs-earlyhelp", "cs-familyhub"],
        [],
    ),
    (
        "i-cs-foster",
        "childrens_services",
        "CS-LAC3",
        "Support network for foster carers",
        "Foster placements break down and carers leave because they feel alone.",
        "Group foster families around an experienced hub carer who offers respite and advice.",
        ["cs-mockingbird", "cs-fostering"],
        [],
    ),
    (
        "i-cs-ehcp",
        "childrens_services",
        "CS-EHCP20",
        "Speed up education, health and care plans",
        "Only a third of EHC plans are issued within 20 weeks and families complain.",
        "A named coordinator for each family who chases the advice needed.",
        ["cs-ehcp"],
        [],
    ),
    (
        "i-plan-4day",
        "planning",
        "PS2-MINOR",
        "Four-day week for planning officers",
        "We struggle to recruit planning officers.",
        "Trial a compressed four-day week, as South Cambridgeshire did.",
        ["plan-4day", "plan-trainee"],
        [],
    ),
    (
        "i-plan-apprentice",
        "planning",
        "",
        "Planning apprenticeships to grow our own planners",
        "Planning officer vacancies stay open for months and agency planners are expensive.",
        "Take on degree apprentices in planning and support them to qualify.",
        ["plan-trainee", "plan-4day"],
        [],
    ),
    (
        "i-plan-validation",
        "planning",
        "PS1-MAJOR",
        "Fewer invalid planning applications",
        "Nearly half of applications arrive invalid, delaying decisions by weeks.",
        "Publish a clear validation checklist and run sessions for agents.",
        ["plan-validation"],
        [],
    ),
    (
        "i-potholes",
        "highways_transport",
        "HW-POTHOLE",
        "Pothole reporting with photos",
        "Pothole reports lack the detail needed to prioritise repairs, so inspectors visit twice.",
        "Let residents attach a photo and map pin to their report.",
        ["hw-photos", "hw-patcher"],
        [],
    ),
    (
        "i-road-cameras",
        "highways_transport",
        "NI169",
        "Use bin lorry cameras to find road defects",
        "Road condition surveys happen once a year and miss defects that appear in winter.",
        "Fit cameras to refuse vehicles to record road surface defects every week.",
        ["hw-ai-survey"],
        [],
    ),
    (
        "i-lib-benefits",
        "culture_leisure",
        "CL-LIBRARY",
        "Library volunteers helping people claim benefits online",
        "People who cannot get online miss out on benefits they are entitled to.",
        "Train library volunteers as digital helpers, with weekly drop-in sessions.",
        ["lib-digital"],
        [],
    ),
    (
        "i-lib-hours",
        "culture_leisure",
        "CL-LIBRARY",
        "Open branch libraries longer without more staff",
        "Branch libraries open only three days a week and visits are falling.",
        "Self-service access with a library card so members can use branches when unstaffed.",
        ["lib-openplus"],
        [],
    ),
    (
        "i-complaints",
        "corporate",
        "CORP-COMPLAINT",
        "Phone complainants before a formal complaint",
        "Stage 1 complaints are answered late and many could be put right with a conversation.",
        "Call every complainant within two days to try to resolve it.",
        ["cust-complaints"],
        [],
    ),
    (
        "i-smoke-preg",
        "public_health",
        "PH-SMOKE",
        "Incentives for pregnant women to stop smoking",
        "Smoking in pregnancy is twice the national rate in our most deprived wards.",
        "Vouchers for each month smoke-free, confirmed by a carbon monoxide test.",
        ["ph-smoke-preg", "ph-vape"],
        [],
    ),
    (
        "i-staff-physio",
        "corporate",
        "CORP-SICK",
        "Quicker physiotherapy for staff off sick",
        "Staff with back problems wait months for NHS physiotherapy and stay off work.",
        "Pay for fast physiotherapy appointments for staff.",
        ["corp-sick"],
        [],
    ),
    # Ideas no lesson in the set has tried: nothing should be suggested.
    (
        "i-cemetery",
        "environmental_health",
        "",
        "Online booking for cemetery burial plots",
        "Bereaved families must visit the office to reserve a burial plot.",
        "Let funeral directors reserve plots online.",
        [],
        [],
    ),
    (
        "i-trees",
        "highways_transport",
        "",
        "Plant street trees with sponsorship from businesses",
        "Streets in the town centre have few trees and the budget for planting is cut.",
        "Invite local businesses to sponsor street trees.",
        [],
        [],
    ),
]

ORGANISATION_NAMES = [
    "Ashby District Council",
    "Brantwood Borough Council",
    "Calder Vale Council",
    "Dunmere County Council",
    "Eastholme City Council",
    "Fenwick Metropolitan Borough Council",
]


@dataclass
class Loaded:
    reader: object  # the organisation whose ideas are suggested for
    ideas: dict  # key → Idea
    lessons: dict  # key → Lesson pk
    lesson_keys: dict  # Lesson pk → key
    idea_keys: dict  # Idea pk → key


def load(*, prefix: str = "") -> Loaded:
    """Creates the organisations, service areas, ideas, finished projects with evaluations and
    published lessons of the set; returns what `score` needs. The ideas belong to the first
    organisation; the lessons to the five others, a few of them anonymised."""
    from decimal import Decimal

    from django.utils import timezone

    from accounts.models import Membership, Organisation, Role, User
    from innovation.models import Evaluation, Idea, Project, ProjectStage
    from portfolio.catalogue import catalogue_load
    from portfolio.models import Indicator, ServiceArea
    from sharing import demo, reading, services
    from sharing.models import CostBand, Lesson, Visibility

    orgs = [
        Organisation.objects.create(name=f"{prefix}{name}", kind=Organisation.Kind.UNITARY, ons_code=None)
        for n, name in enumerate(ORGANISATION_NAMES)
    ]
    reader = orgs[0]
    author = User.objects.create_user(email=f"{prefix}relevance@example.org", full_name="Robin Relevance")
    for organisation in orgs:
        Membership.objects.create(user=author, organisation=organisation, role=Role.MANAGER)
    catalogue_load(Indicator)  # in place already where migrations ran; tests may run without them
    indicators = {i.code: i for i in Indicator.objects.catalogue()}
    areas: dict[tuple[int, str], ServiceArea] = {}

    def area(organisation, service):
        if (organisation.pk, service) not in areas:
            areas[(organisation.pk, service)] = ServiceArea.objects.create(
                organisation=organisation, name=service.replace("_", " ").capitalize(), service=service
            )
        return areas[(organisation.pk, service)]

    now = timezone.now()
    lessons = {}
    for n, (key, service, code, outcome, title, summary, tried, happened) in enumerate(LESSONS):
        organisation = orgs[1 + n % 5]
        project = Project.objects.create(
            organisation=organisation, reference=n + 1, title=title, summary=summary, owner=author,
            stage=ProjectStage.CLOSED, indicator=indicators.get(code),
        )  # fmt: skip
        project.service_areas.set([area(organisation, service)])
        Evaluation.objects.create(
            organisation=organisation, project=project, outcome=outcome, summary=happened,
            actual_one_off_cost=Decimal(20_000), actual_running_cost=Decimal(5_000), actual_benefit=Decimal(30_000),
            actual_years=3, value_for_money="Good value.", transferability=4, transferability_reasons="Any council.",
            recorded_by=author,
        )  # fmt: skip
        visibility = Visibility.ANONYMISED if n % 7 == 3 else Visibility.SECTOR
        lesson = Lesson.objects.create(
            organisation=organisation, project=project, author=author, title=title, summary=summary,
            service=service, outcome=outcome, transferability=4, cost_band=CostBand.FROM_10K, tried=tried,
            happened=happened, visibility=visibility, published_at=now, published_by=author,
        )  # fmt: skip
        lessons[key] = lesson
    rows = list(Lesson.objects.filter(pk__in=[lesson.pk for lesson in lessons.values()]).select_related(
        "organisation", "author", "project"))  # fmt: skip
    redactions = reading.Redactions()
    for lesson in rows:
        title, body = reading.redact_for_search(lesson, redactions)
        lesson.search_document = f"{title}\n{body}"
    Lesson.objects.bulk_update(rows, ["search_document"])
    services.lesson_search_reindex()
    demo.lessons_mark_anonymised_checked(
        Lesson.objects.filter(pk__in=[lesson.pk for lesson in rows], visibility=Visibility.ANONYMISED),
        checked_by=author,
    )
    ideas = {}
    for n, (key, service, code, title, problem, proposal, _relevant, _duplicates) in enumerate(IDEAS):
        idea = Idea.objects.create(
            organisation=reader, reference=n + 1, title=title, problem=problem, proposal=proposal, author=author,
            indicator=indicators.get(code),
        )  # fmt: skip
        idea.service_areas.set([area(reader, service)])
        ideas[key] = idea
    return Loaded(
        reader=reader,
        ideas=ideas,
        lessons={key: lesson.pk for key, lesson in lessons.items()},
        lesson_keys={lesson.pk: key for key, lesson in lessons.items()},
        idea_keys={idea.pk: key for key, idea in ideas.items()},
    )


@dataclass
class Scores:
    precision: float
    recall: float
    shown: int
    relevant_shown: int
    misses: list  # (idea key, shown keys, expected keys), for tuning


def score(loaded: Loaded, feature: str, k: int = 3) -> Scores:
    """precision@k and recall@k of `feature` ("tried" or "duplicates") over every idea of the set,
    micro-averaged: precision = relevant suggestions shown / suggestions shown (the threshold may
    show fewer than k, and showing nothing is not penalised there); recall = relevant suggestions
    shown / the relevant ones that could be shown, min(k, how many are relevant) for each idea."""
    from innovation import relevance as idea_relevance
    from sharing import relevance as lesson_relevance

    shown_total = relevant_total = possible_total = 0
    misses = []
    for key, _service, _code, _title, _problem, _proposal, relevant, duplicates in IDEAS:
        idea = loaded.ideas[key]
        if feature == "tried":
            found = lesson_relevance.tried_elsewhere(idea, organisation=loaded.reader, limit=k)
            shown = [loaded.lesson_keys.get(s.lesson.pk, "?") for s in found]
            expected = relevant
        else:
            found = idea_relevance.duplicates_of(idea, limit=k)
            shown = [loaded.idea_keys.get(s.idea.pk, "?") for s in found]
            expected = duplicates
        hits = len(set(shown) & set(expected))
        shown_total += len(shown)
        relevant_total += hits
        possible_total += min(k, len(expected))
        if hits < min(k, len(expected)) or hits < len(shown):
            misses.append((key, shown, expected))
    return Scores(
        precision=relevant_total / shown_total if shown_total else 1.0,
        recall=relevant_total / possible_total if possible_total else 1.0,
        shown=shown_total,
        relevant_shown=relevant_total,
        misses=misses,
    )
