package filecheck

// Elements are every element's name, in the order Check lists them: the
// filters of the files at risk take these, and every one has its words.
var Elements = []string{NeedsAnalysis, GPMISigned, Acknowledgement, Evaluations, FaceToFace, Reports, ExemptionReason, ExemptionReview, Extension}

// States are every state an element can be in.
var States = []State{Met, Due, Late, Missing, NotApplicable, NotRecorded}

// RiskStates are the states that put a file at risk (Due only within the
// policy's horizon): the files at risk filter on these.
var RiskStates = []State{Missing, Late, Due}
