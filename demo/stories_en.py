"""Original English story texts for the demo web's en-wire site (Example Wire).

Written for the demo only. "northwind-results" and "brightwater-results" share
one template with different facts on purpose: they are hard negatives for the
near-duplicate detector. "archive-photos" mentions a phone number and a
copyright dispute inside the story itself; a cleaner must keep those lines.
"""

from __future__ import annotations

STORIES: dict[str, dict] = {
    "northwind-results": {
        "title": "Northwind Logistics reports fourth-quarter profit rise as freight volumes recover",
        "paragraphs": [
            "Northwind Logistics said on Tuesday that its fourth-quarter net profit rose 12 percent to $184 million, helped by a recovery in container freight volumes and lower fuel costs across its trucking fleet.",
            "Revenue for the three months to December reached $2.31 billion, up 6 percent from a year earlier and slightly ahead of analysts' expectations. Earnings per share came in at $1.47, compared with $1.29 in the same period of 2021.",
            "The company's ocean forwarding unit was the strongest performer, with volumes up 9 percent as retailers restocked warehouses ahead of the spring season. Its domestic trucking business grew more slowly, and management said spot rates remained under pressure in the Midwest.",
            "Chief executive Laura Mendes told analysts on a conference call that the company would continue to invest in warehouse automation, with three new fulfilment centres due to open in Texas and Ohio by the end of the year. Capital spending is expected to rise to about $420 million in 2023.",
            "For the full year, Northwind expects revenue growth of between 3 and 5 percent, citing uncertainty over consumer demand and interest rates. The board raised the quarterly dividend by 4 cents to 38 cents a share.",
            "Operating margin widened to 11.2 percent from 10.4 percent a year earlier, which the company attributed to lower diesel prices and a programme of route consolidation that cut empty truck miles by about 7 percent. Cash from operations for the quarter was $265 million.",
            "Mendes said the company had also renegotiated several long-term warehouse leases and expected rental costs to fall next year. She added that Northwind had hired about 600 drivers since the summer, easing the labour shortages that disrupted deliveries in late 2021.",
            "Analysts said the results suggested the worst of the freight slowdown was over, although several warned that a weaker economy later in the year could hit volumes again.",
            "Shares in Northwind rose 3.1 percent in early trading after the announcement.",
        ],
    },
    "brightwater-results": {
        "title": "Brightwater Foods reports fourth-quarter profit fall as ingredient costs bite",
        "paragraphs": [
            "Brightwater Foods said on Wednesday that its fourth-quarter net profit fell 8 percent to $96 million, as higher prices for grain, packaging and energy squeezed margins at its snacks and frozen meals divisions.",
            "Revenue for the three months to December reached $1.12 billion, up 4 percent from a year earlier but slightly below analysts' expectations. Earnings per share came in at $0.83, compared with $0.91 in the same period of 2021.",
            "The company's snacks unit was the strongest performer, with sales up 7 percent after price increases introduced in the autumn held up better than expected. Its frozen meals business shrank, and management said shoppers were switching to cheaper store brands.",
            "Chief executive Samuel Okafor told analysts on a conference call that the company would close two older plants in Georgia and consolidate production at a new facility in Kansas by the middle of the year. Restructuring charges are expected to total about $60 million in 2023.",
            "For the full year, Brightwater expects revenue to be broadly flat, citing weak volumes and continued cost inflation. The board kept the quarterly dividend unchanged at 22 cents a share.",
            "Operating margin narrowed to 8.6 percent from 9.9 percent a year earlier, which the company attributed to higher wheat and cooking oil prices and a rise in freight costs for its frozen products. Cash from operations for the quarter was $131 million.",
            "Okafor said the company had also renegotiated several long-term supply contracts and expected packaging costs to ease next year. He added that Brightwater had cut about 300 office jobs since the summer, part of a savings plan announced in late 2022.",
            "Analysts said the results showed how hard it had become for food makers to keep raising prices, although several said the cost savings should support margins later in the year.",
            "Shares in Brightwater fell 4.6 percent in early trading after the announcement.",
        ],
    },
    "storm-warning": {
        "title": "Forecasters warn of strong winds and coastal flooding as storm approaches",
        "paragraphs": [
            "The national weather service issued an amber warning for wind on Thursday as a deep area of low pressure moved in from the Atlantic, bringing gusts of up to 70 miles per hour to exposed coasts and the risk of flooding along low-lying shores.",
            "Forecasters said the strongest winds were expected overnight into Friday morning, coinciding with a high spring tide. Waves of more than 6 metres could break over sea walls in some harbour towns, and residents were advised to move cars away from promenades.",
            "Rail operators said they would run reduced timetables on coastal lines on Friday, and several ferry crossings were cancelled in advance. Road users were warned about fallen trees and debris, particularly on rural routes through forested areas.",
            "Power companies put extra repair crews on standby after a similar storm last winter left about 40,000 homes without electricity for more than a day. Utility managers said they had pre-positioned generators at hospitals and care homes in the worst affected region.",
            "Emergency services urged people to stay away from sea fronts and cliff paths during the storm, saying that every winter people are swept off piers while trying to photograph large waves. Councils in the worst affected areas opened sandbag collection points and cleared drains and culverts on Thursday afternoon.",
            "Insurers reminded homeowners to secure garden furniture, trampolines and other loose objects, and to photograph any damage before starting repairs. The storm is the fourth named storm of the season, and meteorologists said unusually warm sea temperatures in the Atlantic had helped it strengthen quickly as it approached land.",
            "Anyone who sees a fallen power line has been told to keep well clear and report it to the utility.",
            "The weather is expected to calm down over the weekend, although forecasters said showers and cooler temperatures would persist into next week. Schools in two coastal districts said they would decide on Friday morning whether to open.",
        ],
    },
    "sodium-battery": {
        "title": "University team builds sodium battery that survives 5,000 charge cycles",
        "paragraphs": [
            "Researchers at a state university have built a sodium-ion battery cell that kept more than 90 percent of its capacity after 5,000 full charge and discharge cycles, a result they say brings the cheaper chemistry closer to use in grid storage.",
            "Sodium is far more abundant than lithium, but sodium-ion cells have struggled with electrodes that crack and swell as the larger sodium ions move in and out. The team coated a hard carbon anode with an ultra-thin layer of aluminium oxide that flexes without breaking.",
            "\"The coating acts a bit like a raincoat that still lets the ions through,\" said materials scientist Priya Raman, who led the work. \"It stops side reactions with the electrolyte, which is what usually kills these cells early.\"",
            "The cells store less energy by weight than lithium-ion batteries used in phones and electric cars, so the researchers are targeting stationary storage, where size and weight matter less than cost and lifetime. They estimate the materials cost per kilowatt-hour could be about a third lower.",
            "Independent experts welcomed the result but cautioned that laboratory coin cells often behave differently from the large-format cells that utilities need. The team said it is working with a regional manufacturer to build prototype cells of about 20 amp-hours later this year.",
            "To test the cells, the team cycled them continuously for almost seven months at room temperature and at 45 degrees Celsius, a temperature typical of battery containers in hot climates. Capacity loss at the higher temperature was slightly faster but still stayed above 85 percent after 5,000 cycles.",
            "Grid operators are looking for cheaper ways to store solar and wind power for hours at a time, and several large manufacturers have announced plans to build sodium-ion factories over the next two years. Prices for lithium carbonate rose sharply in 2022, strengthening interest in alternatives that avoid scarce metals such as lithium, cobalt and nickel.",
            "The study was published this week in a peer-reviewed energy journal and was funded in part by a federal clean energy research grant.",
        ],
    },
    "rail-extension": {
        "title": "Riverside rail extension opens with four new stations",
        "paragraphs": [
            "The long-delayed Riverside rail extension opened to passengers on Monday, adding 11 kilometres of track and four new stations that connect the city's eastern suburbs to the central business district.",
            "The first trains left the new Eastgate terminus shortly after 5.30 a.m., and transit officials said about 18,000 passengers used the line on its first morning. Trains will run every six minutes at peak times and every 12 minutes in the evening.",
            "The project cost $1.9 billion, about 20 percent more than the original budget, after contractors ran into unexpected groundwater and contaminated soil near the old rail yards. Its opening was pushed back twice, most recently last autumn.",
            "Commuters on the first trains were mostly positive. \"It took me 25 minutes to get to work today instead of almost an hour on the bus,\" said Daniel Ortiz, a nurse who lives near one of the new stations. Some residents complained about noise from the elevated section near Mill Street.",
            "The extension is the first part of a wider plan to build a ring of suburban rail lines around the city over the next 15 years. A second phase, which would carry the line a further six kilometres to the airport, is still waiting for federal funding, and officials said a decision was expected by the end of the year.",
            "Businesses near the new stations said they hoped the line would bring more customers. The owner of a bakery opposite Eastgate station said she had extended her opening hours and hired two extra staff. Property agents said rents for apartments within walking distance of the new stations had already risen by about 8 percent over the past year.",
            "Officials said the line would carry about 60,000 passengers a day once it is fully established.",
            "The transit authority said it would monitor noise levels and install additional barriers if needed. Park-and-ride lots at two of the new stations will be free for the first month to encourage drivers to try the line.",
        ],
    },
    "archive-photos": {
        "title": "City library settles copyright dispute over historic harbour photographs",
        "paragraphs": [
            "The city library has settled a two-year copyright dispute with the family of a local photographer over a collection of historic harbour photographs, clearing the way for the images to go back on public display this summer.",
            "The collection of about 1,200 black-and-white prints was donated to the library in the 1980s, but the photographer's grandchildren argued that the donation covered the physical prints and not the right to publish them online. The library took the digital archive offline in early 2021 while the two sides negotiated.",
            "Under the settlement, the family keeps the copyright and grants the library a free licence to show the pictures in its galleries and on its website for non-commercial use. The library will credit the photographer by name on every image and share any fees it receives from publishers.",
            "Head librarian Margaret Chen said the agreement could serve as a model for other donated collections whose rights were never clearly documented. \"A lot of material came to us with a handshake rather than a contract,\" she said.",
            "Anyone who believes they hold rights in other donated material can call the library's archive desk on 555-0147 or write to the special collections office, Chen said. The library plans to review about 40 other collections over the next year.",
            "The photographs, most of them taken between 1948 and 1965, show cargo ships being unloaded by hand, fishing boats crowding the old inner harbour and the construction of the container terminal that replaced much of the waterfront. Historians say they are one of the most complete records of the port's working life before automation.",
            "The library said it would also publish a short guide for donors explaining how copyright in photographs, letters and recordings works, so that future gifts are documented properly.",
            "The harbour photographs will feature in an exhibition opening on June 10, which will also include recordings of interviews with dock workers collected in the 1970s.",
        ],
    },
    "housing-starts": {
        "title": "Housing starts fall for a third month as mortgage rates stay high",
        "paragraphs": [
            "Construction began on fewer new homes in February, the third monthly decline in a row, as high mortgage rates continued to cool demand from buyers, according to figures published on Friday.",
            "Housing starts fell 4.5 percent from January to an annual rate of 1.31 million units. Starts of single-family homes dropped more sharply than apartments, while permits for future construction edged up slightly.",
            "Builders said potential buyers were still interested but many could not afford monthly payments at current rates, which have roughly doubled in a year. Some developers have been offering to pay part of buyers' mortgage costs to close sales.",
            "Economists noted that the number of homes under construction remained close to a record, because many projects started during the boom of 2021 and 2022 are still being finished. That pipeline should keep construction employment steady for several more months.",
            "The figures come as policymakers weigh how much further to raise interest rates. Housing is one of the most rate-sensitive parts of the economy, and a slowdown in construction can ripple through to sales of furniture, appliances and building materials.",
            "Some builders are responding by building smaller homes. Several large developers told investors this month that they had redesigned floor plans to cut construction costs and bring prices within reach of first-time buyers. Others have shifted toward building homes for rent, where demand has held up because many households can no longer afford to buy.",
            "Mortgage applications rose slightly in early March as rates dipped from their peak, and some economists said the market could stabilise in the second half of the year if borrowing costs fall further.",
            "Builders' confidence, as measured by a monthly industry survey, improved slightly in March for the third time in a row.",
            "Regional figures were mixed. Starts rose in the Northeast, where building had been unusually weak last year, but fell in the South and West, where the pandemic-era surge in demand was strongest.",
        ],
    },
    "chip-plant": {
        "title": "Chipmaker breaks ground on $3 billion packaging plant",
        "paragraphs": [
            "A semiconductor company broke ground on Wednesday on a $3 billion advanced packaging plant on the edge of the city, a project officials said would create about 1,500 permanent jobs when it opens in 2026.",
            "Advanced packaging is the stage of chipmaking in which finished silicon dies are stacked, connected and sealed before they go into phones, servers and cars. Most of that work is currently done in Asia, and the company said the new plant would shorten supply chains for its customers.",
            "The state offered about $250 million in tax credits and infrastructure support, including a new water treatment facility and an upgraded highway interchange. Critics on the city council questioned whether the incentives were too generous, but the project passed with a large majority.",
            "The company said it would work with the local community college to train technicians, with the first classes starting in the autumn. Construction is expected to employ about 3,000 workers at its peak.",
            "Local officials said the plant would be one of the largest private investments in the state's history. The governor, who attended the ceremony, said the project showed the region could compete for advanced manufacturing after decades of factory closures.",
            "Environmental groups raised concerns about the plant's water use, which the company estimated at about 2 million gallons a day once production is at full capacity. The company said it would recycle most of the water it uses and build a reclaimed water pipeline from the city's treatment works, so that the plant would not draw on the drinking water supply.",
            "The company expects to begin hiring for management and engineering roles at the site later this year, and said it would give priority to applicants from the surrounding county.",
            "Executives said the site had room for a second phase if demand for artificial intelligence hardware keeps growing, but no decision on an expansion has been made.",
        ],
    },
}
