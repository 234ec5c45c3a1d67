// Every attack strategy of issue 10, in the order of its properties' priority. The bench
// (scripts/bench-attacks.ts) and the test (test/attacks.test.ts) read this list.
import type { Strategy } from "./harness.js";
import { seedGrinding } from "./seed-grinding.js";
import { quorum2Rogue } from "./quorum2-rogue.js";
import { toleranceOverclaim } from "./tolerance-overclaim.js";
import { rubberStampEcho } from "./rubber-stamp-echo.js";
import { rubberStampEchoCollusion } from "./rubber-stamp-echo-collusion.js";
import { canaryEcho } from "./canary-echo.js";
import { verifierCopying } from "./verifier-copying.js";
import { lastBlockChallenge } from "./last-block-challenge.js";
import { lastBlockChallengeTreasury } from "./last-block-challenge-treasury.js";
import { sybilSlashRecycling } from "./sybil-slash-recycling.js";
import { slotSquatting, slotSquattingJunk } from "./slot-squatting.js";
import { pauseOverReveal } from "./pause-over-reveal.js";
import { midRoundEnrolment } from "./mid-round-enrolment.js";
import { narrowing } from "./narrowing.js";
import { narrowingSweep } from "./narrowing-sweep.js";
import { challengeFeeFarming } from "./challenge-fee-farming.js";
import { untrainedClaim } from "./untrained-claim.js";
import { beaconWithholding, beaconWithholdingFees } from "./beacon-withholding.js";

export const STRATEGIES: Strategy[] = [
  seedGrinding,
  beaconWithholding,
  beaconWithholdingFees,
  quorum2Rogue,
  toleranceOverclaim,
  rubberStampEcho,
  rubberStampEchoCollusion,
  canaryEcho,
  verifierCopying,
  lastBlockChallenge,
  lastBlockChallengeTreasury,
  sybilSlashRecycling,
  slotSquatting,
  slotSquattingJunk,
  pauseOverReveal,
  midRoundEnrolment,
  narrowing,
  narrowingSweep,
  challengeFeeFarming,
  untrainedClaim,
];

export type { Strategy, StrategyResult, PlayRecord } from "./harness.js";
