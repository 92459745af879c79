// The signage loop of the benchmark page: the header clock (Japanese style,
// Asia/Tokyo, changed once a minute like hiroba's), the picture and the card
// taking turns every 10 s (the crossfade itself is a CSS transition), and
// the ticker's speed (3.5 ems a second, like hiroba's). Must never touch the
// network or do work between changes that hiroba does not do.
"use strict";

const ITEM_SECONDS = 10;
const TICKER_EMS_PER_SECOND = 3.5;
const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

const tokyo = new Intl.DateTimeFormat("en-US", {
    timeZone: "Asia/Tokyo",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    weekday: "short",
    hourCycle: "h23",
});
const WEEKDAY_INDEX = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// 2026年11月24日(火) 10:00, as clock_format_ja writes it.
function formatJa(date) {
    const p = {};
    for (const part of tokyo.formatToParts(date)) p[part.type] = part.value;
    const w = WEEKDAYS[WEEKDAY_INDEX[p.weekday]];
    return `${p.year}年${p.month}月${p.day}日(${w}) ${Number(p.hour)}:${p.minute}`;
}

function tickClock() {
    const now = new Date();
    document.getElementById("clock").textContent = formatJa(now);
    const ms = now.getTime();
    setTimeout(tickClock, 60000 - (ms % 60000) + 5);
}

function startRotation() {
    const items = Array.from(document.querySelectorAll("main .item"));
    let shown = 0;
    setInterval(() => {
        items[shown].classList.remove("shown");
        shown = (shown + 1) % items.length;
        items[shown].classList.add("shown");
    }, ITEM_SECONDS * 1000);
}

// Two copies of the notices side by side; the animation moves by one copy.
function startTicker() {
    const run = document.getElementById("run");
    const round = run.querySelector(".round");
    const copy = round.cloneNode(true);
    copy.setAttribute("aria-hidden", "true");
    run.appendChild(copy);
    document.fonts.ready.then(() => {
        const width = round.getBoundingClientRect().width;
        const em = parseFloat(getComputedStyle(run).fontSize);
        const seconds = width / (TICKER_EMS_PER_SECOND * em);
        run.style.setProperty("--ticker-s", `${seconds.toFixed(2)}s`);
    });
}

tickClock();
startRotation();
startTicker();
