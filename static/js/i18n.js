// The texts GOV.UK Frontend's components write themselves (a character count, a password's
// show button, an accordion's), in the language of the page: <html lang> is "cy" when the
// person reads Lantern in Welsh (accounts.middleware.LanguageMiddleware). English is
// GOV.UK Frontend's own. Plural forms follow Intl.PluralRules for Welsh.
const welsh = {
  characterCount: {
    i18n: {
      charactersUnderLimit: {
        zero: "Mae gennych %{count} nod yn weddill",
        one: "Mae gennych %{count} nod yn weddill",
        two: "Mae gennych %{count} nod yn weddill",
        few: "Mae gennych %{count} nod yn weddill",
        many: "Mae gennych %{count} nod yn weddill",
        other: "Mae gennych %{count} nod yn weddill",
      },
      charactersAtLimit: "Mae gennych 0 nod yn weddill",
      charactersOverLimit: {
        zero: "Mae gennych %{count} nod yn ormod",
        one: "Mae gennych %{count} nod yn ormod",
        two: "Mae gennych %{count} nod yn ormod",
        few: "Mae gennych %{count} nod yn ormod",
        many: "Mae gennych %{count} nod yn ormod",
        other: "Mae gennych %{count} nod yn ormod",
      },
      wordsUnderLimit: {
        zero: "Mae gennych %{count} gair yn weddill",
        one: "Mae gennych %{count} gair yn weddill",
        two: "Mae gennych %{count} air yn weddill",
        few: "Mae gennych %{count} gair yn weddill",
        many: "Mae gennych %{count} gair yn weddill",
        other: "Mae gennych %{count} gair yn weddill",
      },
      wordsAtLimit: "Mae gennych 0 gair yn weddill",
      wordsOverLimit: {
        zero: "Mae gennych %{count} gair yn ormod",
        one: "Mae gennych %{count} gair yn ormod",
        two: "Mae gennych %{count} air yn ormod",
        few: "Mae gennych %{count} gair yn ormod",
        many: "Mae gennych %{count} gair yn ormod",
        other: "Mae gennych %{count} gair yn ormod",
      },
    },
  },
  passwordInput: {
    i18n: {
      showPassword: "Dangos",
      hidePassword: "Cuddio",
      showPasswordAriaLabel: "Dangos y cyfrinair",
      hidePasswordAriaLabel: "Cuddio’r cyfrinair",
      passwordShownAnnouncement: "Mae eich cyfrinair yn weladwy",
      passwordHiddenAnnouncement: "Mae eich cyfrinair wedi’i guddio",
    },
  },
  accordion: {
    i18n: {
      hideAllSections: "Cuddio pob adran",
      hideSection: "Cuddio",
      hideSectionAriaLabel: "Cuddio’r adran hon",
      showAllSections: "Dangos pob adran",
      showSection: "Dangos",
      showSectionAriaLabel: "Dangos yr adran hon",
    },
  },
};

// The configuration to give GOV.UK Frontend's initAll for the page's language.
export function componentsConfig() {
  return document.documentElement.lang === "cy" ? welsh : {};
}
