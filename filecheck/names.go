package filecheck

// Elements are every element's name, in the order Check lists them: the
// filters of the files at risk take these, and every one has its words.
var Elements = []string{NeedsAnalysis, GPMISigned, Acknowledgement, Evaluations, FaceToFace, Reports, ExemptionReason, ExemptionReview, Extension}

// States are every state an element can be in.
var States = []State{Met, Due, Late, Missing, NotApplicable, NotRecorded}

// RiskStates are the states that put a file at risk (Due only within the
// policy's horizon): the files at risk filter on these.
var RiskStates = []State{Missing, Late, Due}

// ClaimReasons are every reason a month does not qualify for the GPMI
// special subsidy (ClaimLine.Reason): every one has its words.
var ClaimReasons = []string{NoGPMI, TrajectoryClosed, Exempted, OnArticle60, BreakWithoutNewGPMI,
	NotInForceEndFirstPeriod, NoExtension, ExtensionWithoutMotivation}

// Article60Reasons are every reason an Article 60 month is not funded.
var Article60Reasons = []string{Article60PastMaximum, Article60NotFunded}
