package bot

// This file is the assistant's knowledge: the words it recognises, the
// evidence for each topic and the conversation flows. Change wording and
// rules here; the engine in the other files only interprets them.
//
// Patterns: "@name" is a concept below, a bare word is that word (any
// inflection; "log_in" is a phrase), "a|b" is either, "~x" must follow the
// previous element within five words and "+x" within two, "!x" must be
// absent. A topic's score is the sum of the weights of its matching
// patterns; negative weights are evidence against it. Run
// `BOT_EXPLAIN="some message" go test ./bot -run TestExplain -v` to see
// which patterns a message matches.

// spellings rewrites single words before anything else: short forms,
// run-together phrases and typos too short for fuzzy matching.
var spellings = map[string]string{
	"cant": "can not", "cannot": "can not", "dont": "do not", "doesnt": "does not",
	"didnt": "did not", "isnt": "is not", "wont": "will not", "wasnt": "was not",
	"couldnt": "could not", "havent": "have not", "hasnt": "has not", "aint": "is not",
	"wouldnt": "would not", "arent": "are not", "werent": "were not", "shouldnt": "should not",
	"unable": "not able", "im": "i", "ive": "i have",
	"pwd": "password", "pw": "password", "passwd": "password", "pword": "password",
	"passowrd": "password", "pasword": "password", "pswd": "password", "psw": "password",
	"rset": "reset", "reser": "reset", "resent": "reset",
	"wanna": "want to", "gotta": "have to", "needhelp": "need help",
	"wannarestore": "want to restore", "myaccount": "my account", "myprofile": "my profile",
	"mail": "email", "emial": "email", "emai": "email",
	"login": "log in", "logon": "log on", "signin": "sign in", "signon": "sign on",
	"logins": "log in", "sigin": "sign in",
	"lockd": "locked", "lockedout": "locked out", "blockd": "blocked",
	"u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks",
	"ok": "okay", "k": "okay", "admins": "admin", "mgr": "manager",
	"temp": "temporary", "tmp": "temporary", "app's": "app", "mobil": "mobile",
}

// concepts are the ideas patterns are built from. Each phrase is matched on
// stems, so "locked", "locking" and "locks" all count as "lock"; "=word"
// matches only that exact form.
var concepts = []struct {
	name    string
	phrases []string
}{
	{"secret", []string{"password", "passcode", "pass code", "pin", "pin code", "pin number",
		"pass", "passphrase", "pass phrase", "access key", "access code", "login code", "log in code",
		"credentials", "security code", "pass-code", "user key", "profile key", "account key"}},
	{"code", []string{"code", "key", "pin", "ping"}},
	{"forget", []string{"forget", "forgot", "forgotten", "forgetting", "not remember", "not recall",
		"slipped my mind", "slipped", "lost", "lose", "not know", "no idea", "not sure what",
		"unaware", "no longer have", "not have my", "i do not have", "i not have", "misplaced", "not find", "not anymore", "not any more"}},
	{"reset", []string{"reset", "restore", "recover", "recovery", "retrieve", "retrieval",
		"regain", "get back", "look up", "lookup", "find out", "replace"}},
	{"change", []string{"change", "update", "modify", "set", "new", "another", "choose", "pick"}},
	{"login", []string{"log in", "log on", "log into", "log onto", "sign in", "sign on", "sign into",
		"get in", "get into", "access", "enter", "get on", "let me in", "let me through"}},
	{"account", []string{"account", "profile", "user", "portal", "my app"}},
	{"lock", []string{"lock", "locked out", "lockout", "lock out", "block", "blocked", "suspend",
		"suspended", "disabled", "barred", "deactivated", "banned", "shut out"}},
	{"lockverb", []string{"=lock", "=block", "=freeze", "=suspend", "=close", "=disable"}},
	{"lockpp", []string{"=locked", "=blocked", "=frozen", "=suspended", "=closed", "=disabled"}},
	{"unlock", []string{"unlock", "unblock", "unlocked", "unblocked", "unlocking", "unblocking",
		"re enable", "enable again", "unsuspend", "reactivate", "reinstate", "make it work again", "work again"}},
	{"hold", []string{"hold", "restriction", "restricted", "block"}},
	{"issue", []string{"problem", "issue", "stop", "delay"}},
	{"toomany", []string{"too many", "too much", "many times", "several times", "multiple times",
		"too often", "exceed", "exceeded", "run out", "ran out", "used all", "use all", "exhausted",
		"all my", "all of my", "no more", "anymore", "few times", "couple of times", "again and again",
		"over and over", "so many", "limit", "maximum"}},
	{"tries", []string{"attempt", "tries", "try", "tried", "times", "attempts", "guess", "guesses", "input", "enter", "type", "typed", "put"}},
	{"wrong", []string{"wrong", "incorrect", "invalid", "mistake", "mistook", "mistyped", "typo",
		"rejected", "reject", "denied", "not accepted", "not accept", "not work", "not working",
		"not being accepted", "failed", "fail", "error", "not valid", "not correct", "refused",
		"declined", "not let me", "problem", "something wrong", "trouble"}},
	{"why", []string{"why", "reason", "how come", "what happened", "for what reason", "explain", "cause"}},
	{"freeze", []string{"freeze", "frozen", "freezing", "unfreeze"}},
	{"put", []string{"put", "place", "placed", "add", "initiate", "set", "turn", "make", "force"}},
	{"desire", []string{"want", "need", "like", "asap"}},
	{"urgent", []string{"immediately", "right away", "asap", "right now", "at once", "straight away", "quickly", "immdediately", "immediatly"}},
	{"device", []string{"door", "doors", "vault", "house", "nose", "car", "property", "window",
		"=settings", "=setting", "factory", "default", "defaults", "device", "configuration",
		"wifi", "router", "wi fi", "bluetooth", "phone plan"}},
	{"banking", []string{"card", "debit", "credit", "atm", "cash", "machine", "bank machine",
		"payment", "payments", "transaction", "transactions", "funds", "money", "transfer", "order",
		"delivery", "refund", "newsletter", "invoice"}},
	{"app", []string{"app", "application", "mobile", "phone", "iphone", "android", "ios", "ipad",
		"tablet", "smartphone", "cell", "cellphone", "mobile app"}},
	{"web", []string{"web", "website", "browser", "computer", "laptop", "pc", "desktop", "site",
		"chrome", "safari", "firefox", "edge", "web page", "webpage", "online portal", "mac"}},
	{"email", []string{"email", "e mail", "inbox", "reset link", "link", "message", "mailbox", "email address"}},
	{"link", []string{"link", "reset link", "url", "email"}},
	{"notreceived", []string{"not receive", "not received", "not get", "not got", "not arrive",
		"not arrived", "not come", "not came", "never", "nothing", "no email", "missing",
		"not see", "not there", "spam", "junk", "waiting", "not showing", "not show", "not in",
		"no link", "not find", "where is", "no reset email", "not sent", "not being sent", "still"}},
	{"expired", []string{"expired", "expire", "expiry", "invalid", "already used", "not valid",
		"broken", "dead", "no longer valid", "not work", "not working", "error"}},
	{"oldemail", []string{"old", "wrong", "outdated", "former", "previous", "incorrect", "typo",
		"misspelled", "spelled wrong", "=changed", "no longer", "different", "personal", "work email", "out of date"}},
	{"noaccess", []string{"not have access", "no access", "not access", "lost access",
		"not use", "no longer have", "no longer use", "not able to access", "not get into",
		"closed", "deleted", "left"}},
	{"other", []string{"employee", "employees", "staff", "worker", "workers", "guard", "guards",
		"officer", "officers", "colleague", "colleagues", "coworker", "team member",
		"someone else", "another user", "other user", "other users", "a user", "=users", "the user", "new hire", "new user", "his", "her", "him", "their", "them", "he",
		"she", "member", "members", "subordinate", "technician", "operator", "new starter",
		"the person", "another manager", "other people", "everyone", "my team", "our team", "qxowner"}},
	{"someone", []string{"someone", "somebody"}},
	{"adminrole", []string{"admin", "administrator", "manager", "supervisor", "boss",
		"hr", "payroll", "itdept", "it department", "it team", "employer", "human resources",
		"it support", "in charge", "account manager", "company", "office"}},
	{"contact", []string{"contact", "reach", "talk", "speak", "call", "phone number",
		"get in touch", "ask", "email", "number", "details", "info", "chat", "write to", "message"}},
	{"who", []string{"who", "whom", "whose", "who else", "anyone"}},
	{"helpverb", []string{"help", "call", "ask", "contact", "talk", "go", "turn"}},
	{"permission", []string{"permission", "permissions", "=rights", "privilege", "privileges",
		"=allowed", "authorized", "authorised", "unauthorized", "forbidden", "403", "access denied",
		"not permitted", "permision", "my role", "role does not", "account manager"}},
	{"notsee", []string{"not see", "not find", "missing", "greyed", "grayed", "grey", "gray",
		"not there", "not showing", "not show", "not visible", "gone", "not appear", "no option",
		"no button", "disappeared", "hidden", "where did", "not have the option", "not have a button", "not available", "not have an option"}},
	{"option", []string{"option", "button", "link", "menu", "action", "feature", "tab", "setting"}},
	{"support", []string{"support", "vendor", "helpdesk", "help desk", "customer service",
		"customer care", "watchpost", "you guys", "your team", "your staff", "tech support",
		"technical support", "provider", "service desk", "developer", "developers", "your company", "support team"}},
	{"must", []string{"must", "required", "require", "requires", "forced", "force", "forces",
		"forcing", "have to", "has to", "had to", "asks", "asking", "asked", "keeps asking", "prompt",
		"prompted", "makes me", "making me", "wants me", "want me", "made me", "needs to be", "need to be",
		"until", "before i can", "before continuing"}},
	{"temp", []string{"temporary", "one time", "provisional", "initial", "first time",
		"first login", "set for me", "set a password for me"}},
	{"reusestrong", []string{"reuse", "reused", "reusing", "re use", "re used", "used before",
		"used it before", "already used", "previously used", "used previously", "used recently",
		"recently used", "used in the past", "been used", "history", "used that", "one i used",
		"already been used", "had before", "same as before"}},
	{"reuseweak", []string{"previous", "old", "older", "last", "before", "again", "past",
		"usual", "always use", "had", "one i had", "back"}},
	{"reuseintent", []string{"go back", "back to", "switch back", "change back",
		"one i had", "had before", "use my old", "one i always use", "reuse"}},
	{"characters", []string{"character", "characters", "letter", "letters", "digit", "digits",
		"number at the end", "couple", "slightly", "tiny change"}},
	{"notallowed", []string{"not allowed", "not let", "not accept", "not accepted", "rejected",
		"refuse", "refuses", "refused", "says", "error", "not work", "not take", "denied"}},
	{"missinglink", []string{"no", "not have a", "not have the", "not have any", "not find", "not see", "missing", "where is",
		"where", "no option", "there is no", "not showing"}},
	{"after", []string{"after", "since", "still", "even though", "now", "already", "just", "yesterday", "but"}},
	{"reinstall", []string{"reinstall", "re install", "uninstall", "delete the app", "download again",
		"download it again", "install again", "remove the app", "reinstalling"}},
	{"logout", []string{"log out", "logs out", "logging me out", "sign out", "signed out",
		"kicked out", "kicks me out", "kick me out", "keeps logging", "crash", "crashes", "crashing",
		"freezes", "stuck", "loading", "loop"}},
	{"greeting", []string{"hi", "hello", "hey", "hii", "good morning", "good afternoon",
		"good evening", "howdy", "greetings", "yo"}},
	{"thanks", []string{"thanks", "thank you", "thank", "cheers", "ta", "appreciate"}},
	{"escalate", []string{"escalate", "escalation", "human", "real person", "a person"}},
	{"tried", []string{"tried everything", "nothing works", "nothing worked", "still stuck", "not help", "no luck", "still not"}},
	{"create", []string{"create", "add", "new", "onboard", "set up", "register"}},
}

// topicRules is the evidence for each topic.
var topicRules = map[string][]rule{
	ForgotPassword: {
		{"@forget @secret", 3},
		{"@forget @code !@secret", 2.5},
		{"@reset @secret", 3},
		{"@reset @code !@secret", 2},
		{"@secret", 1},
		{"@secret @wrong", 1.5},
		{"not ~work|accept|let @secret !@wrong", 1.5},
		{"@secret ~@change", 1},
		{"not ~@login", 2},
		{"@change ~@secret", 1.5},
		{"what|tell|show ~@secret|@code", 2},
		{"@secret @desire", 0.5},
		{"@lock !@unlock", -1.5},
		{"@device|@banking", -3},
		{"@freeze", -3},
		// Evidence for the more specific topics counts against this general one.
		{"@app @missinglink|@after|@reinstall|@logout", -3},
		{"@app new ~@secret", -2},
		{"@permission", -4},
		{"@notsee ~@option", -2},
		{"@email @notreceived|@oldemail|@noaccess", -2.5},
		{"@link @expired", -2},
		{"@support", -2.5},
		{"@reusestrong", -2},
		{"@reuseweak ~@secret", -1},
		{"@other", -3},
		{"@reset|@change|set|give|@unlock ~@someone", -2},
		{"@must ~@change", -2},
		{"@temp", -2},
	},
	Lockout: {
		{"@lock", 2.5},
		{"@unlock", 3},
		{"@lock @secret", 1.5},
		{"@lock @account", 0.5},
		{"@toomany", 1},
		{"@toomany @tries", 1.5},
		{"@secret @toomany", 1.5},
		{"@wrong|@tries @secret @toomany", 1},
		{"@why @hold|@issue", 2},
		{"@hold ~@account", 1.5},
		{"@why not ~@login|use", 2.5},
		{"@why @account not ~work !@secret", 2},
		{"@lock @forget", 1.5},
		{"@reuseweak ~@secret", -2},
		{"@other", -2},
		{"@why @lock", 1},
		{"not ~@login|use|input|try|enter @secret !@forget", 2},
		{"@forget @secret @lock", 1},
		{"@freeze", -5},
		{"@put ~@hold|@lock|@freeze !@why", -3},
		{"@hold|@issue|@lock ~placed|put|under !@why", -3},
		{"@lockverb ~my|the|all|every|any", -3.5},
		{"@desire ~@lockpp", -3},
		{"@urgent", -1.5},
		{"@device", -6},
		{"@banking !@why", -3},
		{"@banking @why", -1},
	},
	PasswordReuse: {
		{"@reusestrong", 3.5},
		{"@reusestrong @secret", 1},
		{"@reuseweak @secret @notallowed", 2},
		{"@reuseweak @secret", 0.5},
		{"@change|only|one|two|few|couple|more @characters", 3},
		{"@forget @secret !@reusestrong", -1},
		{"@other", -1},
		{"@link|@email", -2},
		{"@reuseintent @secret", 3},
		{"how_many ~@reuseweak ~@secret", 3},
		{"use|set|choose|pick ~@reuseweak|my ~@secret ~again", 2},
		{"use ~@reuseweak ~@secret", 2},
		{"same @reuseweak|again @secret", 2.5},
	},
	MobileApp: {
		{"@app", 0.5},
		{"@app @missinglink ~@option|forget|@reset|@secret", 3},
		{"@app @missinglink @forget|@reset ~@secret|@option", 1},
		{"@app @after @reset|@change|@web", 3},
		{"@app @web", 2},
		{"@app @reinstall", 3},
		{"@reinstall", 2},
		{"@app @logout", 2.5},
		{"@reset|@change ~@secret ~in|on|from|through|via|using|inside ~@app", 3.5},
		{"@reset|@change ~in|on|from|through|via|using|inside ~@app", 2},
		{"not ~@login|work @app !@secret", 2.5},
		{"@wrong @login @app !@secret", 2},
		{"@app @wrong", 1},
		{"@app @forget @secret !@after|@missinglink", -1.5},
		{"@app new ~@secret", 2},
		{"@other", -1.5},
		{"@device|@banking", -2},
	},
	ResetEmail: {
		{"@email @notreceived", 3.5},
		{"@email ~@oldemail|@noaccess", 2.5},
		{"@oldemail|@noaccess ~@email", 2},
		{"@noaccess @email", 1},
		{"address @noaccess|@oldemail", 2},
		{"@link @expired", 3},
		{"@change|correct|fix ~@email", 2},
		{"@email @secret|@reset", 0.5},
		{"@app", -1},
	},
	ResetOtherUser: {
		{"@reset|@change|set|give|@unlock|send @other", 2.5},
		{"@reset|@change|set|give|@unlock|send ~@someone", 2.5},
		{"@secret @other", 1.5},
		{"@other @forget|@lock|@reset|@unlock", 1},
		{"@temp @secret @other", 1.5},
		{"@temp @secret @create", 1.5},
		{"@create ~@account|@other ~@secret|@temp", 2},
		{"force ~@other|@change", 1.5},
		{"@adminrole", 0.5},
		{"@permission|@notsee", -2.5},
		{"@support", -4},
		{"not +@reset|@change|@unlock", -2},
		{"no ~@option", -2},
		{"@device", -4},
	},
	NoPermission: {
		{"@permission", 2.5},
		{"@permission @secret|@reset|@unlock", 1.5},
		{"@notsee ~@option", 2},
		{"@option ~@notsee", 2},
		{"not +@reset|@change|@unlock @other|@someone", 2.5},
		{"no ~@option", 2.5},
		{"@notsee|no ~@option @other", 1},
		{"@notsee @option @reset|@secret|@unlock", 1.5},
		{"account_manager", 2},
		{"@why not ~@reset|@change @other|@secret", 2},
		{"@notsee @reset|@unlock ~@secret|@option", 1},
		{"@app", -2},
		{"@forget !@permission", -1},
		{"@email", -1},
	},
	SupportReset: {
		{"@support @secret", 3},
		{"@support @reset|@change|@unlock", 1.5},
		{"@support @secret @why|refuse|not", 1},
	},
	ForceChange: {
		{"@must ~@change @secret", 3.5},
		{"@must @change @secret", 1},
		{"@secret @change ~@must", 2.5},
		{"@temp @secret", 2.5},
		{"@temp @secret @expired|@wrong|now|what", 1.5},
		{"@change @secret @must|every|each|first", 0.5},
		{"@other", -2},
		{"@permission|@notsee", -1.5},
	},
	ContactAdmin: {
		{"@contact @adminrole", 3},
		{"@who @adminrole", 3},
		{"@who ~@helpverb|@contact", 3},
		{"@who @account", 1},
		{"@adminrole", 1},
		{"@escalate", 3},
		{"@tried", 1.5},
		{"@tried @who", 1},
		{"@secret|@reset|@other", -1},
		{"@permission", -1},
	},
	Fallback: nil,
}

// answerRules recognise a typed reply to the current step (instead of a
// button press). Kinds are checked in answerOrder.
var answerRules = map[string][]rule{
	kindFail: {
		{"not ~work|help|fix|succeed|let|accept|arrive|come|get|solve|change|go|do", 3},
		{"fail|still|error|same|refuse|nope|problem|stuck|nothing", 3},
		{"no ~luck|good|change", 3},
	},
	kindApp:   {{"@app", 3}},
	kindWeb:   {{"@web", 3}},
	kindAdmin: {{"@adminrole !not", 3}},
	kindNo:    {{"no|nope|nah|not|never|neither", 3}},
	kindYes:   {{"yes|yeah|yep|yup|sure|correct|right|affirmative|indeed|ya|yea", 3}, {"i ~do|have|am|can !not", 3}},
	kindNext: {{"done|next|okay|finish|continue|work|solved|fixed|success|great|perfect|sorted|" +
		"what_now|then_what|and_then|got_it|did_it|i_in|i_am_in|go_on", 3}},
}

// answerOrder is the order in which reply kinds win when several match
// ("still doesn't work on my phone" is about the app first).
var answerOrder = []string{kindApp, kindWeb, kindFail, kindAdmin, kindNo, kindYes, kindNext}

// genericAdmin is {admin} when the portal has no administrator contact set;
// configuredAdmin wraps the contact text the portal configured.
const (
	genericAdmin    = "your portal administrator, or your employer's HR/payroll or IT department"
	configuredAdmin = "your portal administrator (%s)"
)

// topics are the conversation flows. Text may use {admin} (the portal's
// administrator contact), {portal}, {role} and {admins} (names of the
// portal's administrators, signed-in users only). Links name fields of
// Links: forgot, signin, employees, account, article, mobile.
var topics = []topic{
	{
		ID: ForgotPassword, Title: "Forgot password",
		Answer: "You can set a new password yourself: the Forgot password? link is on your company's web sign-in page.",
		Nodes: []node{
			{ID: "start", Say: "Are you signing in on the web or in the mobile app?", Options: []choice{
				{"On the web", "web1", kindWeb}, {"In the mobile app", "app1", kindApp}, {"I'm locked out", "lockout/start", ""}}},
			{ID: "web1", Step: "Open your company's web sign-in page and choose Forgot password?.", Links: []string{"forgot"},
				Options: []choice{{"Done, next step", "web2", kindNext}, {"I can't find it", "web_help", kindFail}, {"I'm on the mobile app", "app1", kindApp}}},
			{ID: "web_help", Say: "The link sits under the password field on the web sign-in page of your own portal (not in the app, and not on the vendor's site). If your company gave you a portal code, the start page asks for it first.",
				Step: "Go to your portal's web sign-in page and choose Forgot password?.", Links: []string{"signin", "forgot"},
				Options: []choice{{"Done, next step", "web2", kindNext}, {"That didn't work", "escalate", kindFail}}},
			{ID: "app1", Say: "The mobile app has no Forgot password link, so the reset happens on the web.",
				Step: "Open your company's web sign-in page in a browser (on your phone or a computer) and choose Forgot password?.", Links: []string{"forgot"},
				Options: []choice{{"Done, next step", "web2", kindNext}, {"That didn't work", "escalate", kindFail}}},
			{ID: "web2", Step: "Enter your username or e-mail address and send. If it matches an account, we e-mail a reset link to the address on your profile; it works for 60 minutes.",
				Options: []choice{{"Got the e-mail", "web3", kindNext}, {"No e-mail arrived", "reset_email/start", kindFail}}},
			{ID: "web3", Step: "Open the link and type a new password twice: at least 12 characters, one you haven't used here before (a short sentence works well). Then sign in with it on the web, and in the app if you use it.",
				Options: []choice{{"It worked", "solved", kindNext}, {"It says I can't reuse it", "password_reuse/start", ""}, {"That didn't work", "escalate", kindFail}}},
		},
	},
	{
		ID: Lockout, Title: "Locked out",
		Answer: "After several wrong passwords, sign-in is locked for about 15 minutes. The lock ends by itself.",
		Nodes: []node{
			{ID: "start", Step: "Stop trying for now: attempts during the lock don't help. Wait about 15 minutes.",
				Options: []choice{{"Done, next step", "reset", kindNext}, {"I'm on the mobile app", "app1", kindApp}, {"That didn't work", "escalate", kindFail}}},
			{ID: "reset", Step: "If you're not sure of your password, don't guess again: reset it with Forgot password? on your company's web sign-in page.", Links: []string{"forgot"},
				Options: []choice{{"Done, next step", "signin", kindNext}, {"I'm on the mobile app", "app1", kindApp}, {"No reset e-mail came", "reset_email/start", ""}, {"That didn't work", "escalate", kindFail}}},
			{ID: "signin", Step: "Sign in with your new password. A successful reset also ends the lock.", Links: []string{"signin"},
				Options: []choice{{"It worked", "solved", kindNext}, {"I'm still locked out", "escalate", kindFail}}},
			{ID: "app1", Say: "The app locks the same way, and it has no reset option of its own.",
				Step: "Wait about 15 minutes, then open your company's web sign-in page in a browser, choose Forgot password? and set a new password there.", Links: []string{"forgot"},
				Options: []choice{{"Done, next step", "app2", kindNext}, {"That didn't work", "escalate", kindFail}}},
			{ID: "app2", Step: "Now sign in to the app with the new password. If it still refuses, sign out of the app, close it completely and sign in again.",
				Options: []choice{{"It worked", "solved", kindNext}, {"Still not working", "mobile_app/reinstall", kindFail}}},
		},
	},
	{
		ID: PasswordReuse, Title: "Password can't be reused",
		Answer: "Your portal remembers your recent passwords (by default the last 5 and the current one) and won't take them again; a new password that only changes one or two characters of the current one is refused too.",
		Nodes: []node{
			{ID: "start", Step: "Choose a password you have never used on this portal, and make it longer, for example a short sentence of four or five words. Don't just change a character or two of an old one.",
				Options: []choice{{"Done, next step", "save", kindNext}, {"It's still refused", "admin", kindFail}}},
			{ID: "save", Step: "Type it in both fields and save. Finish this in a web browser first; then sign in to the app with the new password.",
				Options: []choice{{"It worked", "solved", kindNext}, {"It's still refused", "admin", kindFail}, {"The app still fails", "mobile_app/still", kindApp}}},
			{ID: "admin", Step: "If every new password is refused, ask your administrator to start a reset for you with Force Password Change. Sign in on the web with the temporary password they give you and choose your own.",
				Options: []choice{{"That solved it", "solved", kindNext}, {"Contact my administrator", "escalate", kindFail}}},
		},
	},
	{
		ID: MobileApp, Title: "Mobile app",
		Answer: "The mobile app has no Forgot password link: you reset your password on the web, then sign in to the app with the new one.",
		Nodes: []node{
			{ID: "start", Say: "Have you already reset your password on the web?", Options: []choice{
				{"Yes, but the app still fails", "still", kindYes}, {"No, not yet", "web1", kindNo}}},
			{ID: "web1", Step: "Open your company's web sign-in page in a browser (on the phone or a computer) and choose Forgot password?. Follow the link in the e-mail and set a new password.", Links: []string{"forgot"},
				Options: []choice{{"Done, next step", "web2", kindNext}, {"No e-mail arrived", "reset_email/start", kindFail}}},
			{ID: "web2", Step: "Open the app and sign in with the new password. The reset signed the app out, so it asks again.", Links: []string{"mobile"},
				Options: []choice{{"It worked", "solved", kindNext}, {"That didn't work", "still", kindFail}}},
			{ID: "still", Step: "Sign out of the app if it still shows you signed in, close it completely (not just switch away), open it again and sign in with the new password.",
				Options: []choice{{"It worked", "solved", kindNext}, {"That didn't work", "reinstall", kindFail}}},
			{ID: "reinstall", Step: "As a last step, uninstall the app, install it again and sign in with the new password.",
				Options: []choice{{"It worked", "solved", kindNext}, {"That didn't work", "escalate", kindFail}}},
		},
	},
	{
		ID: ResetEmail, Title: "Reset e-mail",
		Answer: "The reset link goes to the e-mail address on your profile and works for 60 minutes; only the newest link works.",
		Nodes: []node{
			{ID: "start", Say: "Do you still have access to the e-mail address on your profile?", Options: []choice{
				{"Yes", "check", kindYes}, {"No, or it's wrong", "wrong", kindNo}}},
			{ID: "check", Step: "Look in your spam or junk folder and give it a few minutes. If you asked more than once, use the newest message.",
				Options: []choice{{"Found it", "link", kindNext}, {"Nothing there", "again", kindFail}}},
			{ID: "again", Step: "Request a new link with Forgot password?, typing your username or the e-mail address exactly as it is on your profile.", Links: []string{"forgot"},
				Options: []choice{{"Done, next step", "link", kindNext}, {"Still nothing", "wrong", kindFail}}},
			{ID: "link", Step: "Open the link within 60 minutes and set your new password. If the page says the link expired or was used, request a new one.",
				Options: []choice{{"It worked", "solved", kindNext}, {"That didn't work", "escalate", kindFail}}},
			{ID: "wrong", Step: "Only an administrator or a manager can change the e-mail address on your profile; you can't change it yourself. Ask them to correct it, then request the reset again.",
				Options: []choice{{"Contact my administrator", "escalate", kindNext}, {"I'm an administrator or manager", "reset_other_user/start", kindAdmin}}},
		},
	},
	{
		ID: ResetOtherUser, Title: "Reset someone's password",
		Answer: "Administrators and managers can set a new password for anyone in their portal, managers included, when creating the profile or later.",
		Nodes: []node{
			{ID: "start", Say: "Are you an administrator or a manager in your portal?",
				Route:   []route{{condCannotReset, "no_permission/start"}, {condCanReset, "open"}},
				Options: []choice{{"Yes", "open", kindYes}, {"No", "notadmin", kindNo}}},
			{ID: "open", Step: "Open Employees and find the person's profile. (For someone new, choose Create profile: you set the temporary password there.)", Links: []string{"employees"},
				Options: []choice{{"Done, next step", "set", kindNext}, {"I don't see that", "no_permission/start", kindFail}}},
			{ID: "set", Step: "Under Security, choose Change Password. Type a temporary password or generate one, and leave Force Password Change on. (Send reset e-mail is the alternative: they choose their own.)",
				Options: []choice{{"Done, next step", "share", kindNext}, {"I don't see that option", "no_permission/start", kindFail}}},
			{ID: "share", Step: "Save and give them the temporary password through a safe channel, in person or by phone, never by e-mail. It expires after 72 hours, and at their next sign-in they choose their own. If they were locked out, Unlock them too.",
				Options: []choice{{"Done", "solved", kindNext}, {"That didn't work", "escalate", kindFail}}},
			{ID: "notadmin", Say: "Only administrators and managers whose role has the reset permission can do this.",
				Step: "Ask the person to use Forgot password? on the web sign-in page, or ask your administrator to reset it.", Links: []string{"forgot"},
				Options: []choice{{"Contact my administrator", "escalate", kindNext}}},
		},
	},
	{
		ID: NoPermission, Title: "No permission",
		Answer: "Resetting passwords is a permission of your role. If Change Password or Send reset e-mail isn't on a profile, your role doesn't have it; by default an Account Manager can view employees but not reset passwords.",
		Nodes: []node{
			{ID: "start", Route: []route{{condCannotReset, "role"}, {condCanReset, "higher"}},
				Step:    "Ask an administrator of your portal to reset the password for you, or to give your role the permission.",
				Options: []choice{{"Contact my administrator", "escalate", kindNext}}},
			{ID: "role", Say: "Your role, {role}, doesn't include the reset-password permission.",
				Step:    "Ask one of your administrators ({admins}) to reset the password, or to add the permission to your role.",
				Options: []choice{{"Contact my administrator", "escalate", kindNext}}},
			{ID: "higher", Say: "Your role can reset passwords. If the option is missing for one person, they probably hold a permission your role lacks: nobody can reset the password of someone with more rights.",
				Step: "Ask an administrator to reset that person's password.", Links: []string{"employees"},
				Options: []choice{{"Contact my administrator", "escalate", kindNext}}},
		},
	},
	{
		ID: SupportReset, Title: "Can support reset my password?",
		Answer: "No. Vendor support can't set, reset or see anyone's password, reset link or temporary password. That protects your data and privacy, and the system enforces it. Resets happen inside your company's own portal.",
		Nodes: []node{
			{ID: "start", Step: "Reset it yourself with Forgot password? on your company's web sign-in page.", Links: []string{"forgot"},
				Options: []choice{{"Done, it worked", "solved", kindNext}, {"I'm on the mobile app", "mobile_app/start", kindApp}, {"That didn't work", "admin", kindFail}}},
			{ID: "admin", Step: "If you can't reset it yourself, an administrator or manager of your portal can set a temporary password for you.",
				Options: []choice{{"Contact my administrator", "escalate", kindNext}}},
		},
	},
	{
		ID: ForceChange, Title: "Must change password",
		Answer: "Your profile is marked \"must change password\", usually because an administrator gave you a temporary password, so you choose your own before you continue.",
		Nodes: []node{
			{ID: "start", Step: "Sign in on the web with your current or temporary password. The next page asks for a new password, twice.", Links: []string{"signin"},
				Options: []choice{{"Done, next step", "choose", kindNext}, {"My temporary password doesn't work", "expired", kindFail}}},
			{ID: "choose", Step: "Pick one you haven't used here, at least 12 characters (a short sentence works) and without your username. Then you reach the portal; use the new password in the app too.",
				Options: []choice{{"It worked", "solved", kindNext}, {"It says I can't reuse it", "password_reuse/start", ""}, {"That didn't work", "escalate", kindFail}}},
			{ID: "expired", Step: "Temporary passwords expire after 72 hours. Set your own with Forgot password? on the web sign-in page, or ask your administrator for a new temporary password.", Links: []string{"forgot"},
				Options: []choice{{"It worked", "solved", kindNext}, {"That didn't work", "escalate", kindFail}}},
		},
	},
	{
		ID: ContactAdmin, Title: "Contact your administrator",
		Answer: "Your account is managed inside your own company, not by the vendor.",
		Nodes: []node{
			{ID: "start", Escalate: true, Links: []string{"article"},
				Options: []choice{{"Start over", "fallback/start", ""}}},
		},
	},
	{
		ID: TwoStep, Title: "Two-step verification",
		Answer: "Two-step verification asks for a code from your authenticator app after your password.",
		Nodes: []node{
			{ID: "start", Step: "Check that your phone's clock is set automatically, then enter the newest code.",
				Options: []choice{{"It worked", "solved", kindNext}, {"That didn't work", "escalate", kindFail}}},
		},
	},
	{
		ID: Fallback, Title: "Something else",
		Answer: "I'm the help assistant for signing in to {portal}. I can help with a forgotten password, a locked account, a reset e-mail that didn't arrive, the mobile app, a password that can't be reused, or resetting someone else's password.",
		Nodes: []node{
			{ID: "start", Say: "What's happening?", Options: menu, Links: []string{"article"}},
		},
	},
}

// menu is offered when nothing more specific fits.
var menu = []choice{
	{"I forgot my password", "forgot_password/start", ""},
	{"I'm locked out", "lockout/start", ""},
	{"No reset e-mail", "reset_email/start", ""},
	{"Mobile app problem", "mobile_app/start", ""},
	{"Reset someone's password", "reset_other_user/start", ""},
	{"Contact my administrator", "contact_admin/start", ""},
}

// shared nodes end every flow.
var (
	escalateNode = node{ID: "escalate", Escalate: true, Links: []string{"article"},
		Options: []choice{{"Start over", "fallback/start", ""}}}
	solvedNode = node{ID: "solved", Say: "Glad that worked. Anything else I can help with?",
		Options: menu}
)

// Fixed wording of the engine's own turns.
const (
	escalateText  = "If you're still stuck, contact {admin}. They can unlock your account, correct your e-mail address or set a temporary password for you. Vendor support can't reset passwords."
	adminsText    = "Your portal's administrators: {admins}."
	secretWarning = "Please don't type passwords here: nobody needs yours, not this assistant, not your administrator and not support. If you shared a real password, change it once you're signed in."
	notUnderstood = "Sorry, I didn't catch that. You can use the buttons, or tell me in a few words what's wrong."
	greetingText  = "Hello!"
	stepLead      = "Step %d:"
	thanksText    = "You're welcome."
	defaultPortal = "your company's portal"
)
