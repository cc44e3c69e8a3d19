package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/domain"
	"github.com/watchpost/watchpost/i18n"
)

// domainErrors is one value of every exported error of package domain, by name.
var domainErrors = map[string]error{
	"ErrNotFound": domain.ErrNotFound, "ErrConflict": domain.ErrConflict, "ErrInvalidCredentials": domain.ErrInvalidCredentials,
	"ErrTempPasswordExpired": domain.ErrTempPasswordExpired, "ErrBusy": domain.ErrBusy, "ErrInvalidToken": domain.ErrInvalidToken,
	"ErrSessionEnded": domain.ErrSessionEnded, "ErrUnavailable": domain.ErrUnavailable, "ErrHelpRateLimited": domain.ErrHelpRateLimited,
	"ErrCodeFormat": domain.ErrCodeFormat, "ErrRecoveryCodeFormat": domain.ErrRecoveryCodeFormat, "ErrWrongCode": domain.ErrWrongCode,
	"ErrChallengeEnded": domain.ErrChallengeEnded, "ErrTwoStepRequired": domain.ErrTwoStepRequired, "ErrNotEnrolled": domain.ErrNotEnrolled, "ErrLinkEnded": domain.ErrLinkEnded,
	"ErrPasskeyRefused": domain.ErrPasskeyRefused, "ErrPasskeyEnded": domain.ErrPasskeyEnded, "ErrPasskeysOff": domain.ErrPasskeysOff,
	"ErrLastWayIn": domain.ErrLastWayIn, "ErrNoPasskeys": domain.ErrNoPasskeys,
	"ErrHelpRequestClosed": domain.ErrHelpRequestClosed, "ErrNotVerified": domain.ErrNotVerified,
	"ValidationError": &domain.ValidationError{}, "LockedError": &domain.LockedError{}, "InvalidCredentialsError": &domain.InvalidCredentialsError{},
	"ThrottledError": &domain.ThrottledError{}, "ForbiddenError": &domain.ForbiddenError{}, "TwoStepRequiredError": &domain.TwoStepRequiredError{},
}

// TestEveryDomainErrorHasAnOutcome runs every exported error of package domain (found in
// its source: variables made with errors.New, types with an Error method) through the one
// mapper, and checks each answer is whole: statuses, an API code, and a message in the
// catalogue where the table gives one.
func TestEveryDomainErrorHasAnOutcome(t *testing.T) {
	t.Parallel()
	for _, name := range exportedDomainErrors(t) {
		err, ok := domainErrors[name]
		if !ok {
			t.Errorf("domain.%s is not in domainErrors: add it here and a row to outcomes", name)
			continue
		}
		out, ok := outcomeOf(err)
		if !ok {
			t.Errorf("domain.%s has no outcome", name)
			continue
		}
		if out.Status < 400 || out.APIStatus < 400 || out.Code == "" {
			t.Errorf("domain.%s: incomplete outcome %+v", name, out)
		}
		if out.Message != "" && i18n.English.T(out.Message) == out.Message {
			t.Errorf("domain.%s: message %q is not in the catalogue", name, out.Message)
		}
	}
}

// exportedDomainErrors lists the names of domain's exported errors from its source.
func exportedDomainErrors(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("../domain")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("../domain", e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if call, ok := valueAt(n, i).(*ast.CallExpr); ok && id.IsExported() && isErrorsNew(call) {
						names = append(names, id.Name)
					}
				}
			case *ast.FuncDecl:
				if n.Name.Name == "Error" && n.Recv != nil && len(n.Recv.List) == 1 {
					if star, ok := n.Recv.List[0].Type.(*ast.StarExpr); ok {
						if id, ok := star.X.(*ast.Ident); ok && id.IsExported() {
							names = append(names, id.Name)
						}
					}
				}
			}
			return true
		})
	}
	if len(names) < 10 {
		t.Fatalf("found only %v in domain's source", names)
	}
	return names
}

func valueAt(v *ast.ValueSpec, i int) ast.Expr {
	if i < len(v.Values) {
		return v.Values[i]
	}
	return nil
}

func isErrorsNew(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "errors" && sel.Sel.Name == "New"
}
