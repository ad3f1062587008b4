// Test identities with FranceConnect v2 claim formats: INSEE codes for birthplace (commune) and
// birthcountry (99100 = France), gender female/male, birthdate YYYY-MM-DD, given_name possibly
// compound, preferred_username = usage name. A person born abroad has an empty birthplace.
export const IDENTITIES = [
  {
    id: 'angela',
    label: 'Angela Claire Louise Dubois (usager)',
    claims: {
      given_name: 'Angela Claire Louise',
      family_name: 'DUBOIS',
      preferred_username: '',
      birthdate: '1962-08-24',
      gender: 'female',
      birthplace: '75107',
      birthcountry: '99100',
      email: 'angela.dubois@example.fr',
    },
  },
  {
    id: 'karim',
    label: 'Karim Benali (usager né à l’étranger)',
    claims: {
      given_name: 'Karim',
      family_name: 'BENALI',
      preferred_username: '',
      birthdate: '1985-03-02',
      gender: 'male',
      birthplace: '',
      birthcountry: '99350',
      email: 'karim.benali@example.fr',
    },
  },
  {
    id: 'marie',
    label: 'Marie Martin épouse Petit (usager, nom d’usage)',
    claims: {
      given_name: 'Marie',
      family_name: 'MARTIN',
      preferred_username: 'PETIT',
      birthdate: '1990-11-30',
      gender: 'female',
      birthplace: '69123',
      birthcountry: '99100',
      email: 'marie.petit@example.fr',
    },
  },
  {
    id: 'sophie',
    label: 'Sophie Leroy (aidante, CCAS)',
    claims: {
      given_name: 'Sophie',
      family_name: 'LEROY',
      preferred_username: '',
      birthdate: '1979-05-14',
      gender: 'female',
      birthplace: '33063',
      birthcountry: '99100',
      email: 'sophie.leroy@ccas.example.fr',
    },
  },
];

export function findIdentity(id) {
  return IDENTITIES.find((i) => i.id === id);
}
