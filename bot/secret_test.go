package bot

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLooksLikeSecret(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"my password is hunter2", true},
		{"My password is Summer", true},
		{"pw: hunter2hunter2", true},
		{"password=correcthorsebattery", true},
		{"my pin is 4821", true},
		{"I think my passcode was 'tulips99'", true},
		{"can you check Xk9#mP2$vL8q for me", true},
		{"token a8f3b2c9d4e5f60718293a4b", true},
		{"my password is wrong", false},
		{"my password is not working", false},
		{"the password is expired", false},
		{"My password is being rejected", false},
		{"my password isn't accepted", false},
		{"password cannot be reused", false},
		{"Error: password: cannot be reused", false},
		{"I forgot my password", false},
		{"my email is jane.doe@example.com", false},
		{"see https://acme.example/p/acme/forgot?x=1", false},
		{"correct horse battery staple is my password", true},
		{"\"correct horse battery staple\" is my password.", true},
		{"soleil123 c'est mon mot de passe", true},
		{"mon mot de passe est soleil123", true},
		{"mi contraseña es perro2024", true},
		{"password was used before", false},
		{"it says my password was used before", false},
		{"what is my password", false},
		{"Support éditeur ici. L'administratrice d'un client est verrouillée et me demande de la débloquer", false},
		{"Jean-François says his password is wrong", false},
		{"L’Administratrice est bloquée", false},
		{"try Pa'ss-w0rd-Xy9 maybe", true},
		{"can you check Sum'mEr-Day for me", true},
		{"where is my password", false},
		{"mon mot de passe est refusé", false},
		{"mi contraseña es incorrecta", false},
		{"hi", false},
		{"", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, LooksLikeSecret(c.text), c.text)
	}
}

func TestSensitiveReplies(t *testing.T) {
	r, _ := say(State{}, "my password is Tr0ub4dor&3 and it doesn't work", anonymous)
	assert.True(t, r.Sensitive)
	assert.Contains(t, r.Text, "don't type passwords")
	assert.NotContains(t, r.Text, "Tr0ub4dor")
	answered := r.Topic == ForgotPassword || slices.ContainsFunc(r.Options, func(o Option) bool { return o.Value == ForgotPassword+"/start" })
	assert.True(t, answered, "the rest of the message is still answered: %+v", r)

	_, st := engine.Respond(State{}, Input{Topic: ForgotPassword}, anonymous)
	r, next := say(st, "pw: hunter2hunter2", anonymous)
	assert.True(t, r.Sensitive)
	assert.NotContains(t, r.Text, "didn't catch")
	assert.Equal(t, st, next, "a secret alone does not move the flow")

	r, _ = say(State{}, "my password is wrong", anonymous)
	assert.False(t, r.Sensitive)
}
